"""tool_call vs natural_language: a function/tool invocation vs the same request in plain language.

Minimal pairs share the tool and every argument value: the positive is the call written in one of
several common tool-calling syntaxes (bare JSON, a Python-style call, an OpenAI-style `tool_calls`
message, a `<tool_call>` tag, a ReAct `Action:` block, a JavaScript call, an Anthropic-style
`tool_use` block, a fenced JSON block); the negative is a user asking for exactly that in words.
Primary split key: the tool (held-out tools, with their argument values and phrasings, are unseen).
The call syntax is not a split key: the eight syntaxes are a closed set and all appear in train.
"""
from __future__ import annotations

import json

from common import Candidate, fill


def v(value, phrase=None):
    """An argument value and how a person would say it (defaults to the value itself)."""
    return (value, str(value) if phrase is None else phrase)


# name: ([(argument, [values...]), ...], [natural-language templates using the argument names])
TOOLS = {
    "get_weather": (
        [("city", [v(c) for c in ["Oslo", "Lima", "Nairobi", "Osaka", "Vancouver", "Porto", "Hanoi", "Reykjavik"]]),
         ("unit", [v("celsius", "in Celsius"), v("fahrenheit", "in Fahrenheit")])],
        ["What's the weather like in {city} right now? Give me the temperature {unit}.",
         "Current conditions in {city}, please, temperature {unit}.",
         "Is it warm in {city} at the moment? Tell me {unit}."]),
    "get_forecast": (
        [("location", [v(c) for c in ["Denver", "Glasgow", "Cape Town", "Busan", "Tromsø", "Seville", "Auckland"]]),
         ("days", [v(3), v(5), v(7), v(10)])],
        ["What's the {days}-day forecast for {location}?",
         "Will it rain in {location} over the next {days} days?",
         "Show me the weather outlook for {location} for the coming {days} days."]),
    "convert_currency": (
        [("amount", [v(25), v(120), v(49.99), v(1500), v(8)]),
         ("from_currency", [v("USD", "US dollars"), v("EUR", "euros"), v("GBP", "pounds")]),
         ("to_currency", [v("JPY", "yen"), v("CHF", "Swiss francs"), v("MXN", "Mexican pesos"), v("INR", "rupees")])],
        ["How much is {amount} {from_currency} in {to_currency}?",
         "Convert {amount} {from_currency} to {to_currency} for me.",
         "If I exchange {amount} {from_currency}, how many {to_currency} do I get?"]),
    "send_email": (
        [("to", [v("maria.lopez@example.com"), v("team-leads@example.org"), v("j.okoye@example.net"), v("billing@example.com")]),
         ("subject", [v("Running late"), v("Invoice 2291"), v("Friday offsite"), v("New laptop request")]),
         ("body", [v("I'll be about 15 minutes late to the 10 o'clock."), v("Please find the corrected invoice attached."),
                   v("The bus leaves at 8:30 from the main entrance."), v("My laptop battery no longer holds a charge.")])],
        ["Email {to} with the subject \"{subject}\" and say: {body}",
         "Send a message to {to}. Subject: {subject}. Text: {body}",
         "Can you write to {to}? Put \"{subject}\" as the subject and tell them: {body}"]),
    "create_calendar_event": (
        [("title", [v("Dentist"), v("Quarterly review"), v("Piano lesson"), v("Call with Jonas"), v("Yoga")]),
         ("date", [v("2025-03-14", "March 14"), v("2025-05-02", "May 2"), v("2025-06-20", "June 20"), v("2025-09-09", "September 9")]),
         ("start_time", [v("09:30", "9:30 a.m."), v("14:00", "2 p.m."), v("17:45", "5:45 p.m.")]),
         ("duration_minutes", [v(30), v(45), v(60), v(90)])],
        ["Put \"{title}\" in my calendar on {date} at {start_time}, for {duration_minutes} minutes.",
         "Add {title} to my calendar: {date}, {start_time}, {duration_minutes} minutes long.",
         "Schedule {title} for {date} starting at {start_time}; block {duration_minutes} minutes."]),
    "search_flights": (
        [("origin", [v("LHR", "London Heathrow"), v("JFK", "New York JFK"), v("CDG", "Paris"), v("NRT", "Tokyo Narita")]),
         ("destination", [v("LIS", "Lisbon"), v("SIN", "Singapore"), v("YYZ", "Toronto"), v("ATH", "Athens")]),
         ("date", [v("2025-07-03", "July 3"), v("2025-08-19", "August 19"), v("2025-12-22", "December 22")]),
         ("passengers", [v(1), v(2), v(4)])],
        ["Find me flights from {origin} to {destination} on {date} for {passengers} passengers.",
         "Are there any flights {origin} to {destination} on {date}? We are {passengers} people.",
         "Look up flights on {date} from {origin} to {destination}, {passengers} travelers."]),
    "book_table": (
        [("restaurant", [v("Trattoria Sole"), v("The Green Fig"), v("Sakura Garden"), v("Casa Mina")]),
         ("party_size", [v(2), v(4), v(6), v(8)]),
         ("date", [v("2025-04-11", "April 11"), v("2025-10-31", "October 31"), v("2025-02-14", "February 14")]),
         ("time", [v("19:00", "7 p.m."), v("20:30", "8:30 p.m."), v("12:15", "12:15")])],
        ["Book a table at {restaurant} for {party_size} on {date} at {time}.",
         "Can you reserve {restaurant} for {party_size} people, {date}, {time}?",
         "I'd like a table for {party_size} at {restaurant} on {date} around {time}."]),
    "set_timer": (
        [("minutes", [v(3), v(8), v(12), v(25), v(40)]),
         ("label", [v("pasta"), v("tea"), v("laundry"), v("bread dough"), v("study break")])],
        ["Set a {minutes}-minute timer for the {label}.",
         "Timer for {label}, {minutes} minutes.",
         "Start a countdown of {minutes} minutes and call it {label}."]),
    "set_alarm": (
        [("time", [v("06:15", "6:15"), v("05:40", "5:40"), v("07:00", "7"), v("06:50", "6:50")]),
         ("repeat_weekdays", [v(True, "every weekday"), v(False, "just for tomorrow")])],
        ["Wake me up at {time} {repeat_weekdays}.",
         "Set an alarm for {time}, {repeat_weekdays}.",
         "I need an alarm at {time} {repeat_weekdays}, please."]),
    "translate_text": (
        [("text", [v("Where is the train station?"), v("The meeting is postponed until Monday."), v("I am allergic to peanuts."),
                   v("Thank you for your hospitality.")]),
         ("target_language", [v("es", "Spanish"), v("de", "German"), v("ja", "Japanese"), v("pt", "Portuguese")])],
        ["Translate \"{text}\" into {target_language}.",
         "How do you say \"{text}\" in {target_language}?",
         "Give me the {target_language} version of: {text}"]),
    "web_search": (
        [("query", [v("best hiking trails near Banff"), v("how long to boil an egg"), v("opening hours Louvre museum"),
                    v("symptoms of vitamin D deficiency"), v("cheap flights Berlin to Rome")])],
        ["Search the web for {query}.",
         "Look up \"{query}\" online for me.",
         "Can you google {query}?"]),
    "get_stock_price": (
        [("ticker", [v("AAPL", "Apple"), v("MSFT", "Microsoft"), v("TSLA", "Tesla"), v("NVDA", "Nvidia"), v("SAP", "SAP")])],
        ["What's {ticker}'s share price right now?",
         "How is {ticker} stock trading today?",
         "Give me the latest stock quote for {ticker}."]),
    "play_music": (
        [("artist", [v("Nina Simone"), v("Daft Punk"), v("Fela Kuti"), v("Billie Eilish"), v("Miles Davis")]),
         ("shuffle", [v(True, "on shuffle"), v(False, "in album order")])],
        ["Play some {artist} {shuffle}.",
         "Put on {artist}, {shuffle}.",
         "I want to listen to {artist} {shuffle}."]),
    "send_sms": (
        [("phone_number", [v("+44 7700 900123"), v("+1 415 555 0199"), v("+49 151 23456789")]),
         ("message", [v("Running 10 minutes late, sorry!"), v("Dinner is at 7, bring a jacket."), v("Package is on the porch.")])],
        ["Text {phone_number}: \"{message}\"",
         "Send an SMS to {phone_number} saying {message}",
         "Message {phone_number} with this: {message}"]),
    "get_directions": (
        [("origin", [v("King's Cross"), v("the Central Library"), v("Union Square"), v("the airport")]),
         ("destination", [v("Camden Market"), v("the City Hospital"), v("Pier 39"), v("the old town")]),
         ("mode", [v("walking", "on foot"), v("transit", "by public transport"), v("driving", "by car"), v("cycling", "by bike")])],
        ["How do I get from {origin} to {destination} {mode}?",
         "Directions from {origin} to {destination}, {mode}, please.",
         "What's the best route {mode} from {origin} to {destination}?"]),
    "add_to_cart": (
        [("product", [v("AA batteries (8-pack)"), v("oat milk, 1 liter"), v("USB-C cable, 2 m"), v("ceramic mug")]),
         ("quantity", [v(1), v(2), v(3), v(6)])],
        ["Add {quantity} x {product} to my cart.",
         "Put {product} in the basket, quantity {quantity}.",
         "I want {quantity} of the {product} added to my order."]),
    "get_order_status": (
        [("order_id", [v("A-10293"), v("784512"), v("ZX-44-0917"), v("2025-0331-88")])],
        ["Where is my order {order_id}?",
         "What's the status of order {order_id}?",
         "Has order number {order_id} shipped yet?"]),
    "create_reminder": (
        [("text", [v("call the plumber"), v("renew my passport"), v("take the bins out"), v("buy a birthday card for Sofia")]),
         ("remind_at", [v("2025-03-03T09:00", "March 3 at 9 a.m."), v("2025-06-01T18:30", "June 1 at 6:30 p.m."), v("2025-11-20T08:00", "November 20 at 8 a.m.")])],
        ["Remind me to {text} on {remind_at}.",
         "Set a reminder for {remind_at}: {text}.",
         "On {remind_at}, remind me that I need to {text}."]),
    "calculate_tip": (
        [("bill_amount", [v(48.5), v(86), v(132.4), v(23)]),
         ("tip_percent", [v(10), v(15), v(18), v(20)])],
        ["What's a {tip_percent}% tip on a {bill_amount} bill?",
         "The bill is {bill_amount}. How much should I tip at {tip_percent} percent?",
         "Work out a {tip_percent} percent tip for {bill_amount}."]),
    "find_nearby": (
        [("category", [v("pharmacy"), v("EV charging station"), v("vegan restaurant"), v("ATM"), v("bike repair shop")]),
         ("location", [v("Alexanderplatz"), v("downtown Austin"), v("Shibuya Station"), v("the harbor")]),
         ("radius_km", [v(1), v(2), v(5)])],
        ["Find a {category} within {radius_km} km of {location}.",
         "Is there a {category} near {location}? No more than {radius_km} km away.",
         "Show me every {category} in a {radius_km} km radius around {location}."]),
    "set_lights": (
        [("room", [v("living room"), v("kitchen"), v("hallway"), v("bedroom"), v("office")]),
         ("brightness", [v(20), v(50), v(80), v(100)]),
         ("color", [v("warm white"), v("daylight"), v("soft blue")])],
        ["Turn the {room} lights to {brightness} percent, {color}.",
         "Set the {room} lamps to {color} at {brightness}% brightness.",
         "Make the {room} {color}, brightness {brightness} percent."]),
    "set_thermostat": (
        [("zone", [v("upstairs"), v("downstairs"), v("nursery"), v("garage workshop")]),
         ("temperature_c", [v(18), v(19.5), v(21), v(23)])],
        ["Set the {zone} thermostat to {temperature_c} degrees.",
         "Change the {zone} heating to {temperature_c} °C.",
         "I want the {zone} at {temperature_c} degrees Celsius."]),
    "get_news": (
        [("topic", [v("renewable energy"), v("the Champions League"), v("space exploration"), v("local elections"), v("AI regulation")]),
         ("limit", [v(3), v(5), v(10)])],
        ["Give me the top {limit} news stories about {topic}.",
         "What are the latest {limit} headlines on {topic}?",
         "Show me {limit} recent articles about {topic}."]),
    "create_ticket": (
        [("title", [v("VPN drops every hour"), v("Printer on floor 3 jams"), v("Cannot reset password"), v("Laptop fan very loud")]),
         ("priority", [v("low"), v("medium"), v("high")]),
         ("assignee", [v("it-helpdesk"), v("facilities"), v("dana.k")])],
        ["Open a {priority}-priority ticket titled \"{title}\" and assign it to {assignee}.",
         "File a support ticket: {title}. Priority {priority}, assignee {assignee}.",
         "Please log \"{title}\" as a {priority} priority issue for {assignee}."]),
    "transfer_money": (
        [("from_account", [v("checking"), v("savings"), v("joint account")]),
         ("to_account", [v("holiday fund"), v("credit card"), v("Mum's account")]),
         ("amount", [v(50), v(200), v(750), v(1200)])],
        ["Move {amount} from my {from_account} to the {to_account}.",
         "Transfer {amount} out of {from_account} into {to_account}.",
         "Send {amount} from {from_account} over to {to_account}."]),
    "check_stock": (
        [("product", [v("cordless drill"), v("size 42 trail shoes"), v("4K monitor"), v("garden hose, 25 m")]),
         ("store", [v("Riverside"), v("Northgate Mall"), v("the city-centre store")])],
        ["Does the {store} branch have the {product} in stock?",
         "Check if {product} is available at {store}.",
         "Is there a {product} on the shelf at {store} today?"]),
    "define_word": (
        [("word", [v("ephemeral"), v("sonder"), v("gerrymander"), v("petrichor"), v("obfuscate")])],
        ["What does \"{word}\" mean?",
         "Define the word {word}.",
         "Give me a short definition of {word}."]),
    "get_local_time": (
        [("timezone", [v("Asia/Tokyo", "Tokyo"), v("America/Chicago", "Chicago"), v("Africa/Lagos", "Lagos"), v("Australia/Perth", "Perth")])],
        ["What time is it in {timezone} right now?",
         "Current local time in {timezone}?",
         "Tell me the time in {timezone}."]),
    "calculate": (
        [("expression", [v("17 * 23", "17 times 23"), v("(480 - 35) / 5", "480 minus 35, divided by 5"), v("2 ** 16", "2 to the power of 16"),
                         v("1250 * 0.08", "8 percent of 1250")])],
        ["What is {expression}?",
         "Calculate {expression} for me.",
         "Quick maths: {expression}?"]),
    "order_taxi": (
        [("pickup", [v("12 Baker Street"), v("the Hilton on 5th Avenue"), v("Terminal 2")]),
         ("destination", [v("the train station"), v("Elm Park"), v("the convention centre")]),
         ("pickup_time", [v("now"), v("18:20", "at 6:20 p.m."), v("07:45", "at 7:45 a.m.")])],
        ["Get me a taxi from {pickup} to {destination}, {pickup_time}.",
         "Book a cab {pickup_time} from {pickup} going to {destination}.",
         "I need a ride from {pickup} to {destination} {pickup_time}."]),
    "post_message": (
        [("channel", [v("#general"), v("#release-notes"), v("#random"), v("#oncall")]),
         ("text", [v("Deploy finished, all green."), v("Lunch is here!"), v("Standup moved to 10:15 today."), v("Who has the spare HDMI cable?")])],
        ["Post \"{text}\" in {channel}.",
         "Write to {channel}: {text}",
         "Drop a message in {channel} saying {text}"]),
    "create_issue": (
        [("repository", [v("acme/web-shop"), v("acme/mobile-app"), v("datalab/pipeline")]),
         ("title", [v("Checkout button unresponsive on Safari"), v("Crash when uploading large photos"), v("Typo in onboarding email")]),
         ("labels", [v(["bug"], "bug"), v(["bug", "urgent"], "bug and urgent"), v(["documentation"], "documentation")])],
        ["Open an issue in {repository} called \"{title}\", labeled {labels}.",
         "Create a GitHub issue on {repository}: {title}. Labels: {labels}.",
         "File \"{title}\" against {repository} with the {labels} label(s)."]),
    "find_recipe": (
        [("dish", [v("lentil soup"), v("banana bread"), v("chicken tikka masala"), v("vegetable lasagna")]),
         ("servings", [v(2), v(4), v(6)]),
         ("diet", [v("vegetarian"), v("gluten-free"), v("none", "no special diet")])],
        ["Find me a {diet} recipe for {dish} that serves {servings}.",
         "I need a {dish} recipe for {servings} people, {diet}.",
         "Recipe for {dish}, {servings} servings, {diet}, please."]),
    "track_package": (
        [("carrier", [v("DHL"), v("UPS"), v("Royal Mail"), v("FedEx")]),
         ("tracking_number", [v("1Z999AA10123456784"), v("JD014600003828"), v("RN123456785GB"), v("7946 1234 5678")])],
        ["Track my {carrier} parcel {tracking_number}.",
         "Where's the {carrier} package with tracking number {tracking_number}?",
         "Any update on {carrier} shipment {tracking_number}?"]),
    "list_files": (
        [("directory", [v("~/Documents/taxes"), v("/var/log/nginx"), v("~/Pictures/2024"), v("./src")]),
         ("extension", [v(".pdf", "PDF"), v(".log", "log"), v(".jpg", "JPEG"), v(".py", "Python")])],
        ["List all the {extension} files in {directory}.",
         "Which {extension} files are in {directory}?",
         "Show me the {extension} files under {directory}."]),
    "schedule_meeting": (
        [("attendees", [v(["ana@example.com", "ben@example.com"], "Ana and Ben"), v(["li@example.com", "omar@example.com", "pia@example.com"], "Li, Omar and Pia")]),
         ("date", [v("2025-05-06", "May 6"), v("2025-09-15", "September 15")]),
         ("duration_minutes", [v(30), v(60)])],
        ["Set up a {duration_minutes}-minute meeting with {attendees} on {date}.",
         "Schedule {duration_minutes} minutes with {attendees} on {date}.",
         "Find time on {date} for a {duration_minutes}-minute call with {attendees}."]),
    "get_air_quality": (
        [("city", [v("Delhi"), v("Krakow"), v("Mexico City"), v("Santiago"), v("Beijing")])],
        ["How's the air quality in {city} today?",
         "What's the current AQI in {city}?",
         "Is the air in {city} safe to go running in right now?"]),
    "search_hotels": (
        [("city", [v("Kyoto"), v("Edinburgh"), v("Marrakesh"), v("Quebec City")]),
         ("check_in", [v("2025-04-18", "April 18"), v("2025-08-01", "August 1")]),
         ("nights", [v(2), v(3), v(5)]),
         ("max_price_per_night", [v(120), v(200), v(90)])],
        ["Find hotels in {city} from {check_in} for {nights} nights, under {max_price_per_night} a night.",
         "Any rooms in {city} for {nights} nights starting {check_in}? Budget {max_price_per_night} per night.",
         "Search {city} hotels, check-in {check_in}, {nights} nights, max {max_price_per_night} per night."]),
    "rent_car": (
        [("location", [v("Faro airport"), v("Denver downtown"), v("Munich central station")]),
         ("pickup_date", [v("2025-06-10", "June 10"), v("2025-07-22", "July 22")]),
         ("return_date", [v("2025-06-17", "June 17"), v("2025-07-29", "July 29")]),
         ("car_class", [v("compact"), v("SUV"), v("electric")])],
        ["Rent me a {car_class} car at {location} from {pickup_date} to {return_date}.",
         "I need a {car_class} rental at {location}, pick up {pickup_date}, return {return_date}.",
         "Book a {car_class} from {location} between {pickup_date} and {return_date}."]),
    "get_showtimes": (
        [("movie", [v("Dune: Part Two"), v("Past Lives"), v("Inside Out 2"), v("Oppenheimer")]),
         ("city", [v("Leeds"), v("Boston"), v("Melbourne")]),
         ("date", [v("2025-03-21", "March 21"), v("2025-03-22", "March 22")])],
        ["When is {movie} playing in {city} on {date}?",
         "Showtimes for {movie} in {city}, {date}?",
         "Which cinemas in {city} show {movie} on {date}?"]),
    "get_scores": (
        [("team", [v("Boca Juniors"), v("Golden State Warriors"), v("Celtic"), v("the All Blacks")]),
         ("games", [v(1, "last game"), v(3, "last three games"), v(5, "last five games")])],
        ["What were the scores of {team}'s {games}?",
         "How did {team} do in their {games}?",
         "Results for {team}, {games}, please."]),
    "log_workout": (
        [("activity", [v("running"), v("swimming"), v("cycling"), v("rowing")]),
         ("duration_minutes", [v(25), v(40), v(55), v(75)]),
         ("distance_km", [v(5), v(1.5), v(22), v(8)])],
        ["Log a {duration_minutes}-minute {activity} workout, {distance_km} km.",
         "Record {activity}: {distance_km} km in {duration_minutes} minutes.",
         "I just did {distance_km} km of {activity} in {duration_minutes} minutes; save it."]),
    "set_volume": (
        [("device", [v("kitchen speaker"), v("TV"), v("car stereo"), v("headphones")]),
         ("level", [v(10), v(35), v(60), v(80)])],
        ["Set the {device} volume to {level}.",
         "Turn the {device} to volume {level}.",
         "Change {device} loudness to {level} percent."]),
    "mute_notifications": (
        [("app", [v("Slack"), v("WhatsApp"), v("email"), v("the news app")]),
         ("hours", [v(1), v(2), v(8), v(24)])],
        ["Mute {app} notifications for {hours} hours.",
         "Silence {app} for the next {hours} hours.",
         "No {app} alerts for {hours} hours, please."]),
    "share_location": (
        [("contact", [v("Mom"), v("Kai"), v("Dr. Ruiz"), v("my roommate")]),
         ("minutes", [v(15), v(30), v(60), v(120)])],
        ["Share my live location with {contact} for {minutes} minutes.",
         "Let {contact} see where I am for the next {minutes} minutes.",
         "Send {contact} my location, live, for {minutes} minutes."]),
    "resize_image": (
        [("file", [v("banner.png"), v("profile_photo.jpg"), v("slide_07.png"), v("logo.webp")]),
         ("width", [v(800), v(1200), v(256)]),
         ("height", [v(600), v(630), v(256)])],
        ["Resize {file} to {width} by {height} pixels.",
         "Make {file} {width}x{height}.",
         "Scale {file} down to {width} wide and {height} high."]),
    "summarize_document": (
        [("document_id", [v("doc-5521", "document doc-5521"), v("Q3-board-pack", "the Q3 board pack"), v("lease-2024.pdf", "lease-2024.pdf")]),
         ("max_words", [v(50), v(100), v(200)])],
        ["Summarize {document_id} in at most {max_words} words.",
         "Give me a {max_words}-word summary of {document_id}.",
         "Boil {document_id} down to {max_words} words or fewer."]),
    "get_bus_arrivals": (
        [("stop_id", [v("4417", "stop 4417"), v("HX-22", "stop HX-22"), v("901", "stop 901")]),
         ("route", [v("12"), v("N5"), v("X40")])],
        ["When is the next {route} bus at {stop_id}?",
         "Arrival times for route {route} at {stop_id}?",
         "How long until the {route} reaches {stop_id}?"]),
    "reserve_parking": (
        [("garage", [v("Station Road car park"), v("Harbor Garage"), v("P3 at the airport")]),
         ("date", [v("2025-05-30", "May 30"), v("2025-12-05", "December 5")]),
         ("hours", [v(3), v(6), v(48)])],
        ["Reserve a parking space at {garage} on {date} for {hours} hours.",
         "Book me parking at {garage}, {date}, {hours} hours.",
         "I need a spot in {garage} on {date}, for {hours} hours."]),
    "pay_bill": (
        [("payee", [v("City Water"), v("Northwind Energy"), v("FastNet Broadband"), v("Dr. Amal's clinic")]),
         ("amount", [v(64.2), v(118), v(39.99), v(250)]),
         ("pay_on", [v("2025-04-01", "April 1"), v("2025-04-15", "April 15"), v("2025-05-28", "May 28")])],
        ["Pay {payee} {amount} on {pay_on}.",
         "Schedule a {amount} payment to {payee} for {pay_on}.",
         "On {pay_on}, send {amount} to {payee}."]),
    "get_nutrition": (
        [("food", [v("cooked brown rice"), v("almonds"), v("salmon fillet"), v("greek yogurt")]),
         ("grams", [v(50), v(100), v(150), v(200)])],
        ["How many calories are in {grams} g of {food}?",
         "Nutrition facts for {grams} grams of {food}?",
         "What's the protein and fat in {grams}g of {food}?"]),
    "find_recipes_by_ingredients": (
        [("ingredients", [v(["eggs", "spinach", "feta"], "eggs, spinach and feta"), v(["chickpeas", "tomatoes", "cumin"], "chickpeas, tomatoes and cumin"),
                          v(["rice", "leftover chicken"], "rice and leftover chicken")])],
        ["What can I cook with {ingredients}?",
         "Find recipes that use {ingredients}.",
         "I only have {ingredients}. Any recipe ideas?"]),
    "get_population": (
        [("country", [v("Portugal"), v("Kenya"), v("Vietnam"), v("Chile")]),
         ("year", [v(1990), v(2000), v(2020)])],
        ["What was the population of {country} in {year}?",
         "How many people lived in {country} in {year}?",
         "Population of {country}, {year}?"]),
    "convert_units": (
        [("value", [v(5), v(12.5), v(180), v(3)]),
         ("from_unit+to_unit", [v(("miles", "kilometers")), v(("pounds", "kilograms")), v(("cups", "milliliters")),
                                v(("feet", "meters")), v(("gallons", "liters"))])],
        ["Convert {value} {from_unit} to {to_unit}.",
         "How many {to_unit} is {value} {from_unit}?",
         "{value} {from_unit} in {to_unit}, please."]),
    "lock_door": (
        [("door", [v("front door"), v("garage door"), v("back gate"), v("patio door")])],
        ["Lock the {door}.",
         "Can you make sure the {door} is locked?",
         "Please lock up the {door} for me."]),
    "get_flight_status": (
        [("flight_number", [v("BA 287"), v("LH 400"), v("QF 9"), v("AF 1234")]),
         ("date", [v("2025-03-18", "March 18"), v("2025-03-19", "March 19")])],
        ["Is flight {flight_number} on {date} on time?",
         "What's the status of {flight_number} for {date}?",
         "Check whether {flight_number} on {date} is delayed."]),
    "add_contact": (
        [("name", [v("Ingrid Holm"), v("Tariq Aziz"), v("Lucía Ferrer")]),
         ("phone", [v("+46 70 123 45 67"), v("+971 50 765 4321"), v("+34 612 345 678")]),
         ("email", [v("ingrid.holm@example.se"), v("tariq@example.ae"), v("lucia.f@example.es")])],
        ["Add {name} to my contacts: phone {phone}, email {email}.",
         "Save a new contact, {name}, number {phone}, email {email}.",
         "Create a contact for {name} with {phone} and {email}."]),
    "update_shipping_address": (
        [("order_id", [v("B-55120"), v("662091"), v("Q-7781")]),
         ("address", [v("Flat 4, 17 Mill Lane, Bristol BS1 4QA"), v("221 Pine St, Apt 3C, Portland, OR 97205"), v("Calle Mayor 8, 28013 Madrid")])],
        ["Change the shipping address for order {order_id} to {address}.",
         "Please ship order {order_id} to {address} instead.",
         "Update order {order_id}: new delivery address {address}."]),
    "cancel_subscription": (
        [("service", [v("StreamFlix"), v("the meal-kit box"), v("CloudDrive Plus"), v("the gym membership")]),
         ("reason", [v("too expensive"), v("not using it"), v("moving abroad")])],
        ["Cancel my {service} subscription; the reason is: {reason}.",
         "I want to end {service} because it's {reason}.",
         "Stop my {service} plan. Reason: {reason}."]),
    "start_robot_vacuum": (
        [("rooms", [v(["kitchen"], "the kitchen"), v(["living room", "hallway"], "the living room and hallway"), v(["bedroom", "office"], "the bedroom and office")]),
         ("mode", [v("quiet"), v("deep"), v("standard")])],
        ["Start the robot vacuum in {rooms}, {mode} mode.",
         "Vacuum {rooms} on {mode} mode.",
         "Run the vacuum robot through {rooms} using the {mode} setting."]),
    "get_exchange_rate": (
        [("base", [v("EUR", "the euro"), v("USD", "the dollar"), v("GBP", "the pound")]),
         ("quote", [v("SEK", "Swedish kronor"), v("BRL", "Brazilian reais"), v("KRW", "Korean won")])],
        ["What's the exchange rate of {base} to {quote} today?",
         "How many {quote} does {base} buy right now?",
         "Current rate, {base} against {quote}?"]),
    "query_inventory": (
        [("sku", [v("TSH-BLU-M"), v("MUG-0042"), v("KB-US-WL"), v("LMP-DESK-07")]),
         ("warehouse", [v("Rotterdam"), v("Reno"), v("Leipzig")])],
        ["How many units of {sku} are in the {warehouse} warehouse?",
         "Check {warehouse} stock for SKU {sku}.",
         "What's the inventory count of {sku} at {warehouse}?"]),
}


def json_args(args: list[tuple[str, object]]) -> dict:
    return {k: value for k, value in args}


def py_value(value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return json.dumps(value, ensure_ascii=False)


def js_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def render_call(fmt: int, name: str, args: list[tuple[str, object]], call_id: str) -> str:
    payload = json_args(args)
    dumped = json.dumps(payload, ensure_ascii=False)
    if fmt == 0:
        return json.dumps({"name": name, "arguments": payload}, ensure_ascii=False)
    if fmt == 1:
        return f"{name}(" + ", ".join(f"{k}={py_value(x)}" for k, x in args) + ")"
    if fmt == 2:
        return json.dumps({"tool_calls": [{"id": f"call_{call_id}", "type": "function",
                                           "function": {"name": name, "arguments": dumped}}]}, ensure_ascii=False)
    if fmt == 3:
        return "<tool_call>\n" + json.dumps({"name": name, "arguments": payload}, ensure_ascii=False) + "\n</tool_call>"
    if fmt == 4:
        return f"Action: {name}\nAction Input: {dumped}"
    if fmt == 5:
        inner = ", ".join(f"{camel(k)}: {js_value(x)}" for k, x in args)
        return f"await tools.{camel(name)}({{ {inner} }});"
    if fmt == 6:
        return json.dumps({"type": "tool_use", "id": f"toolu_{call_id}", "name": name, "input": payload}, ensure_ascii=False)
    if fmt == 7:
        return "```json\n" + json.dumps({"function": name, "parameters": payload}, indent=2, ensure_ascii=False) + "\n```"
    raise ValueError(fmt)


FORMATS = 8


def render_calls(fmt: int, calls: list[tuple[str, list[tuple[str, object]]]], call_ids: list[str]) -> str:
    """Two or more calls in one message, in the syntaxes that allow parallel calls."""
    if fmt == 0:
        return json.dumps([{"name": n, "arguments": json_args(a)} for n, a in calls], ensure_ascii=False)
    if fmt == 1:
        return "\n".join(render_call(1, n, a, "") for n, a in calls)
    if fmt == 2:
        return json.dumps({"tool_calls": [{"id": f"call_{i}", "type": "function",
                                           "function": {"name": n, "arguments": json.dumps(json_args(a), ensure_ascii=False)}}
                                          for (n, a), i in zip(calls, call_ids)]}, ensure_ascii=False)
    if fmt == 3:
        return "\n".join(render_call(3, n, a, "") for n, a in calls)
    if fmt == 4:
        return json.dumps([{"type": "tool_use", "id": f"toolu_{i}", "name": n, "input": json_args(a)}
                           for (n, a), i in zip(calls, call_ids)], ensure_ascii=False)
    raise ValueError(fmt)


def draw(rng, name: str) -> tuple[list[tuple[str, object]], dict[str, str]]:
    """Draws one value per argument: the call's arguments and the phrases that say them."""
    arg_specs, _ = TOOLS[name]
    chosen = []
    for arg, values in arg_specs:
        value, phrase = rng.choice(values)
        if "+" in arg:  # arguments that only make sense together, e.g. a pair of units
            chosen += [(a, (x, x)) for a, x in zip(arg.split("+"), value)]
        else:
            chosen.append((arg, (value, phrase)))
    return [(arg, value) for arg, (value, _) in chosen], {arg: phrase for arg, (_, phrase) in chosen}


def random_id(rng) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))


def multi_candidates(rng, held) -> list[Candidate]:
    """Two requests at once: longer texts, and parallel-call syntax. Both tools come from one split."""
    out = []
    names = sorted(TOOLS)
    for _ in range(120):
        first = rng.choice(names)
        second = rng.choice([n for n in names if n != first and held(f"tool:{n}") == held(f"tool:{first}")])
        args1, phrases1 = draw(rng, first)
        args2, phrases2 = draw(rng, second)
        nl1 = fill(rng.choice(TOOLS[first][1]), **phrases1)
        nl2 = fill(rng.choice(TOOLS[second][1]), **phrases2)
        joiner = rng.choice(["Also:", "One more thing:", "And then:", "Next:", "Second request:"])
        out.append(Candidate(
            positive=render_calls(rng.randrange(5), [(first, args1), (second, args2)], [random_id(rng), random_id(rng)]),
            negative=f"{nl1} {joiner} {nl2}",
            primary=f"tool:{first}", secondary=(), related=(f"tool:{second}",),
        ))
    return out


def candidates(rng, held) -> list[Candidate]:
    out = multi_candidates(rng, held)
    for name, (arg_specs, templates) in TOOLS.items():
        for t, template in enumerate(templates):
            for _ in range(3):
                args, phrases = draw(rng, name)
                fmt = rng.randrange(FORMATS)
                call_id = random_id(rng)
                out.append(Candidate(
                    positive=render_call(fmt, name, args, call_id),
                    negative=fill(template, **phrases),
                    primary=f"tool:{name}",
                    # The call syntaxes are a small closed set the codebook must know, so every one
                    # appears in train; generalization is measured on unseen tools and phrasings.
                    secondary=(),
                ))
    return out
