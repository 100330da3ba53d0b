"""violated vs expected: a stated rule, pattern or physical expectation that is broken vs kept.

Minimal pairs share the set-up sentence(s) and differ only in the outcome: the expected outcome follows
the rule, pattern, schedule or ordinary physics; the violated outcome breaks it, stated matter-of-factly
(no "surprisingly", so the label is carried by the content, not by a marker word). Three sources:
- SCENARIOS: hand-written set-up + two outcomes (physics, rules, schedules, social norms, logic, stories);
- sequence families: a regular sequence with one element broken, in varied wordings;
- rule families: a numeric rule (closing time, limit, dose) with a compliant or a breaking value.
Primary split key: the scenario or family.
"""
from __future__ import annotations

from common import Candidate, fill

# (set-up, expected outcome, violated outcome)
SCENARIOS = [
    # Physics and everyday causality
    ("I dropped the glass on the tile floor.", "It shattered into pieces.", "It bounced back up into my hand and floated there."),
    ("She put an ice cube in her hot tea.", "A minute later it had melted.", "A minute later the ice cube had grown to twice its size."),
    ("We left the bread on the counter for two weeks.", "By then it was covered in green mold.", "By then it was warmer and fresher than the day we bought it."),
    ("He let go of the helium balloon in the park.", "It drifted up into the sky.", "It dropped straight to the ground like a stone."),
    ("The kettle sat on the gas flame for five minutes.", "The water inside was boiling.", "The water inside had frozen solid."),
    ("I plugged in my phone before bed at 10 percent.", "In the morning it showed 100 percent.", "In the morning it showed 2 percent, still plugged in and the charger working."),
    ("The snowman stood in the garden through a week of 20-degree sunshine.", "By Friday only a puddle and a carrot were left.", "By Friday it was taller and whiter than when we built it."),
    ("I pushed the swing away from me.", "It swung out and came back toward me.", "It swung out and stayed hanging in the air at the top."),
    ("The candle burned all evening.", "By midnight it was a short stub.", "By midnight it was longer than when I lit it."),
    ("She poured oil into a glass of water.", "The oil floated on top.", "The oil sank and the water floated on top of it."),
    ("We planted sunflower seeds in April and watered them.", "By August they were taller than the fence.", "By August they had turned back into seeds in the packet."),
    ("The ball rolled off the edge of the table.", "It fell to the floor.", "It kept rolling straight out into the air at table height."),
    ("I left a tray of water in the freezer overnight.", "In the morning it was ice.", "In the morning it was boiling."),
    ("The car ran out of fuel on the highway.", "The engine sputtered and the car coasted to a stop.", "It kept driving for another three hundred miles on an empty tank."),
    ("He touched the metal railing on a freezing January morning.", "It felt painfully cold.", "It felt as warm as a cup of coffee."),
    ("The paper boat sat in the bathtub for an hour.", "It was soggy and starting to sink.", "It was bone dry and sailing higher than before."),
    ("We switched off the lamp in the windowless room.", "The room went dark.", "The room got brighter."),
    ("I stretched the rubber band and let go of one end.", "It snapped back to its normal size.", "It stayed stretched out, long and thin, on the desk."),
    ("The cyclist stopped pedaling on the flat road.", "The bike slowed down and eventually stopped.", "The bike kept speeding up for a mile."),
    ("The eggs were boiled for ten minutes.", "When we cut them open, the yolks were firm.", "When we cut them open, they were raw and runny, as if never cooked."),
    ("She watered the cactus once a month.", "It stayed green and healthy.", "It grew into a full oak tree within the week."),
    ("The glass of milk sat in the sun all afternoon.", "By evening it smelled sour.", "By evening it had turned into orange juice."),
    ("I shook the bottle of soda and opened it.", "It fizzed over my hands.", "The liquid got completely flat and still."),
    ("The tide chart said high tide at 6 p.m.", "At 6 p.m. the water had covered the whole beach.", "At 6 p.m. the sea had pulled back a kilometer from the beach."),
    ("The toddler let go of the spoon over the high chair.", "It clattered onto the floor.", "It hung in the air in front of her."),
    ("We put the wet laundry on the line on a hot, windy day.", "By afternoon it was dry.", "By afternoon it was wetter than when we hung it."),
    ("He added a spoonful of sugar to his coffee and stirred.", "The sugar dissolved and the coffee tasted sweeter.", "The coffee tasted saltier than seawater."),
    ("The sun set at 7:40 that evening.", "By 9 p.m. the sky was dark.", "By 9 p.m. it was the brightest part of the day."),
    ("I put a pot of soup in the fridge overnight.", "In the morning it was cold.", "In the morning it was bubbling hot."),
    ("The old wooden fence stood through a fierce windstorm.", "Two of its panels blew over.", "It came out of the storm repainted a fresh white."),
    ("She turned the key in the ignition of her new car.", "The engine started.", "The car's radio started singing her name and the doors fell off."),
    ("We rolled the bowling ball down the lane.", "It knocked over seven pins.", "It stopped halfway, turned around, and rolled back to us uphill."),
    ("The hourglass was turned over.", "Sand trickled down into the lower bulb.", "Sand trickled up into the upper bulb."),
    # Rules, schedules, promises
    ("The store closes at 5 p.m.", "They locked the doors at 5 sharp and sent the last customers home.", "They were still serving customers at 9 p.m. with no special event."),
    ("The sign at the pool says: no running.", "The lifeguard blew her whistle when a boy started to run.", "Everybody sprinted around the pool edge while the lifeguard cheered them on."),
    ("The library allows three books per card.", "I checked out three novels and left the fourth on the shelf.", "I checked out twenty-two books on one card and the librarian stamped them all."),
    ("The exam rules said phones must be switched off.", "Everyone handed in their phones at the door.", "Half the class texted through the exam and the proctor did nothing."),
    ("Our team agreed to meet every Monday at 10.", "On Monday at 10 we were all in the conference room.", "On Monday nobody showed up, and we met on Saturday at 3 a.m. instead without telling anyone."),
    ("The recipe says to bake the cake for 30 minutes at 180 degrees.", "I baked it for 30 minutes at 180 degrees.", "I baked it for four hours at 300 degrees."),
    ("The lease forbids pets in the apartment.", "We left our cat with my parents before moving in.", "We moved in with two dogs, a goat and a parrot."),
    ("Visitors must sign in at the front desk.", "I wrote my name in the logbook and got a badge.", "I climbed in through a back window and wandered the halls."),
    ("The doctor said to take one tablet every twelve hours.", "He took one at 8 in the morning and one at 8 at night.", "He took the whole bottle in the first hour."),
    ("The speed limit on our street is 30 km/h.", "The delivery van crept past at 25.", "The delivery van raced past at 110."),
    ("The contract says payment is due within 30 days.", "The client paid on day 21.", "The client paid fourteen months later."),
    ("The school uniform is a navy sweater and grey trousers.", "Every pupil arrived in navy and grey.", "The head boy arrived in a sequined gold cape and flip-flops."),
    ("Quiet hours in the dorm begin at 11 p.m.", "By 11 the hallway was silent.", "At 2 a.m. someone was running a chainsaw in the hallway."),
    ("The parking spot is reserved for ambulances.", "It stayed empty until an ambulance pulled in.", "A sports car parked there all week."),
    ("The chess club rules say the player with white moves first.", "Lena, playing white, opened with her pawn.", "Lena, playing white, waited while her opponent made three moves with black."),
    ("The museum forbids flash photography.", "Visitors took their photos with the flash switched off.", "A guide handed out flash cameras and encouraged everyone to use them on the paintings."),
    ("The form says to write in block capitals.", "She wrote her name as MARIA SANTOS.", "She wrote her name in tiny cursive, upside down."),
    ("The bakery promised the cake would be ready on Saturday.", "On Saturday morning the cake was boxed and waiting.", "On Saturday they said they had never heard of the order and sold me a sandwich."),
    ("The train timetable shows the express does not stop at Milford.", "The express rushed through Milford without stopping.", "The express stopped at Milford for forty minutes to pick up one passenger."),
    ("The club's dress code is business casual.", "Members turned up in blazers and chinos.", "Members turned up in swimsuits and snorkels."),
    ("The warranty covers repairs for two years.", "When the screen failed after a year, they fixed it for free.", "When the screen failed after a week, they charged me the full price of a new one."),
    ("In this office, the last person to leave turns off the lights.", "When Sam left last, he flicked off every switch.", "Sam left last and the lights blazed all weekend."),
    ("Tickets for the concert are checked at the gate.", "A guard scanned every ticket before letting people in.", "Thousands walked in with no ticket while the gate staff watched."),
    ("The hotel said checkout is at 11 a.m.", "We left the room at 10:50.", "We stayed in the room until 7 p.m. and nobody asked."),
    ("Airline rules say liquids over 100 ml go in checked baggage.", "I packed the big shampoo bottle in my suitcase.", "I carried a two-liter jug of shampoo through security and onto the plane."),
    ("The vote needed a two-thirds majority to pass.", "It got 70 percent and passed.", "It got 40 percent and was declared passed."),
    ("Our neighbor promised to water the plants while we were away.", "We came home to damp soil and healthy plants.", "We came home to dust-dry pots and a note that he never came over."),
    ("The refund policy allows returns within 14 days with a receipt.", "I returned the shoes after a week with the receipt and got my money back.", "They refused my return on day two, receipt in hand, and kept the shoes."),
    ("The daycare closes at 6 p.m. sharp.", "Parents had picked up every child by 6.", "A toddler was still there at midnight with no staff."),
    ("The referee showed the player a red card.", "He left the pitch.", "He stayed on the pitch and scored twice."),
    ("The diet plan allows one dessert a week.", "He had a slice of pie on Sunday and nothing sweet otherwise.", "He had a dessert at every meal, seven days in a row."),
    ("Lab policy requires goggles at all times.", "Everyone kept their goggles on during the experiment.", "The instructor took off his goggles to lean over the bubbling acid."),
    ("The no-fly rule means drones are banned near the airport.", "Hobbyists flew their drones at the field ten miles away.", "Someone flew a drone across the main runway during landings."),
    # Patterns and formal expectations
    ("The file is sorted alphabetically by surname: Adams, Baker, Chen, Diaz,", "Evans, Foster.", "Zimmer, Evans."),
    ("Every page of the report is numbered. Page 11 is followed by", "page 12.", "page 94."),
    ("The poem has the rhyme scheme AABB. The first couplet ends in 'cat' and 'hat'; the second in", "'rain' and 'train'.", "'moon' and 'desk'."),
    ("The thermometer read 18 degrees at 8 a.m. and climbed steadily. At noon it read", "24 degrees.", "minus 40 degrees."),
    ("The queue at the bank is first come, first served. I arrived before the man in the red coat, so", "I was called to the counter first.", "he was called first, then six people who came after both of us."),
    ("The dictionary lists words in alphabetical order. After 'garden' comes", "'gardener'.", "'xylophone'."),
    ("The elevator display counted the floors on the way up:", "3, 4, 5, 6.", "3, 4, 9, 6."),
    ("The recipe doubles every ingredient for a larger batch. Two cups of flour became", "four cups.", "half a cup."),
    ("The invoice lists three items at $10 each. The total says", "$30.", "$4,200."),
    ("Each candle on the birthday cake stands for one year. My niece turned five, so the cake had", "five candles.", "fifty-three candles."),
    ("Every square on the chessboard alternates in color. Next to a white square is", "a black square.", "another white square, on all four sides."),
    ("The countdown on the launch screen showed", "5, 4, 3, 2, 1, liftoff.", "5, 4, 3, 7, 1, liftoff."),
    # Social norms and roles
    ("At the funeral, guests gathered quietly in the chapel.", "They wore dark clothes and spoke in low voices.", "They wore clown costumes and blew party horns during the eulogy."),
    ("The waiter brought our food.", "He set the plates down and wished us a good meal.", "He sat down at our table and started eating my steak."),
    ("The pilot announced we were starting our descent.", "Twenty minutes later the plane touched down on the runway.", "Twenty minutes later we were higher than ever, heading the other way."),
    ("I asked the pharmacist for my prescription.", "She checked my name and handed me the bag.", "She handed me a live rabbit and a bag of someone else's pills."),
    ("The orchestra's conductor raised his baton.", "The musicians began to play the overture.", "The musicians packed up their instruments and left."),
    ("The teacher handed back the graded tests.", "Each test had a score and comments in red ink.", "Each test had been replaced with a drawing of a fish."),
    ("At the wedding, the couple exchanged rings.", "Everyone applauded.", "Everyone booed and the best man swapped the rings for bottle caps."),
    ("The patient asked the dentist to fix a cavity in her back tooth.", "The dentist filled the cavity.", "The dentist pulled out all her front teeth and sent her home."),
    ("The bus driver reached the last stop on the route.", "Everyone got off and the bus went back to the depot.", "He kept driving for four hours past the end of the route, into the countryside."),
    # Logic and arithmetic
    ("All the cups in the cupboard are blue. I took a cup from the cupboard.", "It was blue.", "It was bright red."),
    ("Maria is older than Joe, and Joe is older than Ken.", "So Maria is older than Ken.", "So Ken is the oldest of the three."),
    ("The box held twelve eggs. We used five for the omelet.", "Seven eggs were left in the box.", "Fifteen eggs were left in the box."),
    ("Every student in the class passed the test. Ravi is in the class.", "Ravi passed.", "Ravi failed."),
    ("The meeting started at 2 p.m. and lasted exactly one hour.", "It ended at 3 p.m.", "It ended at 11 a.m."),
    ("I had 40 dollars and spent 15 on lunch.", "I had 25 dollars left.", "I had 70 dollars left."),
    ("The shop sells only shoes.", "I went in and bought a pair of sneakers.", "I went in and bought a refrigerator and two goats."),
    ("The garden is a perfect square, 10 meters on each side.", "The fence around it is 40 meters long.", "The fence around it is 13 meters long."),
    ("My flight leaves at 9:00 and the trip takes two hours, with no time change.", "I land at 11:00.", "I land at 8:30, before I took off."),
    # Technology and records
    ("The config file sets the server port to 8080.", "The log says: listening on port 8080.", "The log says: listening on port 3, and the config was never changed."),
    ("The receipt lists three apples and a loaf of bread.", "In the bag I found three apples and a loaf of bread.", "In the bag I found eleven apples, a hammer and no bread."),
    ("The backup job runs every night at 2 a.m.", "This morning's report shows a backup completed at 2:04.", "This morning's report shows the last backup ran in 2019, though the job is enabled."),
    ("The thermostat was set to 21 degrees and the heating is working.", "The living room settled at about 21 degrees.", "The living room settled at 4 degrees, with the heating running flat out."),
    ("I saved the document and closed the editor.", "When I reopened it, my changes were there.", "When I reopened it, the file contained a recipe for soup I had never written."),
    ("The calculator app was asked for 7 times 8.", "It displayed 56.", "It displayed 15."),
    ("The website says the package ships in 1 to 2 business days.", "It shipped the next morning.", "It shipped the following spring."),
    ("The spreadsheet formula sums column B, which holds 5, 10 and 20.", "The total cell shows 35.", "The total cell shows 3,510."),
    ("The alarm was set for 6:30 a.m. on a fully charged phone.", "It rang at 6:30.", "It rang at 4:12 in the afternoon."),
    ("The map app said the drive would take 20 minutes with light traffic.", "We arrived about 20 minutes later.", "We arrived nine hours later on an empty road, having driven the route it showed."),
    ("My password manager generated a 20-character password.", "The password it filled in had 20 characters.", "The password it filled in was just the word 'password'."),
    ("The printer was sent a two-page letter.", "Two pages came out.", "Four hundred blank pages came out."),
    ("The sensor logs the temperature every minute.", "The file has 60 readings for each hour.", "The file has one reading for the whole week."),
    ("The vending machine takes my coin and I press B4, the orange juice.", "A bottle of orange juice drops into the tray.", "A bowl of hot soup drops into the tray."),
    ("The smoke detector's test button was pressed.", "It let out a loud beep.", "It started playing a lullaby softly."),
    ("The bank transfer of 50 euros was confirmed.", "My balance dropped by 50 euros.", "My balance went up by 50,000 euros."),
    ("The clock on the church tower is kept accurate by the parish.", "At noon it showed 12:00.", "At noon it showed 3:45 and the hands were spinning backwards."),
    ("The weather station said zero millimeters of rain fell today.", "The garden was dry when I got home.", "The garden was flooded knee-deep when I got home, and it was not the sprinklers."),
    # Nature and animals
    ("It was the middle of winter in Norway.", "The days were short and dark.", "The sun stayed up almost all day and night, like midsummer."),
    ("The caterpillar spun a cocoon in spring.", "A few weeks later a butterfly came out.", "A few weeks later a frog came out."),
    ("The dog heard its owner's car pull into the driveway.", "It ran to the door wagging its tail.", "It climbed onto the roof and began to crow."),
    ("We hung a bird feeder full of seeds in the yard.", "Sparrows and finches came to eat.", "Sharks came to eat."),
    ("The apple tree in our garden flowered in April.", "By September it was full of apples.", "By September it was full of pineapples."),
    ("The hen sat on her eggs for three weeks.", "The eggs hatched into chicks.", "The eggs hatched into kittens."),
    ("The river flows downhill from the mountains to the sea.", "The water in the valley moved toward the coast.", "The water in the valley flowed up the mountain."),
    ("The bear had been asleep in its den all winter.", "In spring it came out thin and hungry.", "In spring it came out fatter than in the autumn, having eaten nothing."),
    ("Salmon return from the ocean to spawn in the rivers where they hatched.", "The fish we tagged as fry came back to the same river.", "The fish we tagged came back as full-grown eagles."),
    ("The tomato seedlings had no light for a month in the basement.", "They were pale, spindly and weak.", "They were dark green, bushy and full of ripe fruit."),
    # Work and everyday plans
    ("My shift starts at 9, and I left home with plenty of time.", "I was at my desk by 8:55.", "I was at my desk by 8:55 the previous evening."),
    ("The plumber promised to fix the leaking tap.", "When he left, the tap no longer dripped.", "When he left, the tap dripped and the kitchen ceiling was on the floor."),
    ("The interview was scheduled for Tuesday at 3 p.m. in room 204.", "At 3 p.m. the panel was waiting for me in room 204.", "At 3 p.m. room 204 turned out to be a broom cupboard and the panel was in another city."),
    ("The babysitter agreed to put the kids to bed by 8.", "When we got home, both kids were fast asleep.", "When we got home at 11, the kids were on the roof with fireworks."),
    ("The moving company said the truck holds the contents of a two-bedroom flat.", "Everything from our two-bedroom flat fit inside.", "Only the sofa fit inside; the truck was the size of a shoebox."),
    ("I ordered a medium pizza with mushrooms.", "A medium mushroom pizza arrived.", "A single mushroom arrived, on a plate, with no pizza."),
    ("The tailor was asked to shorten my trousers by two centimeters.", "They came back two centimeters shorter.", "They came back as a hat."),
    ("The gym is open 24 hours a day.", "I went at 3 a.m. and the doors were open.", "I went at noon and it was locked, with no holiday or notice."),
    ("The hairdresser asked if I wanted a light trim.", "I said yes and she took off a centimeter.", "I said yes and she shaved my head completely."),
    ("Our flight was marked on time on the departures board.", "We boarded at the listed time and left as planned.", "The gate had been demolished and the plane left from a different country."),
    ("The council collects recycling every other Thursday.", "This Thursday the truck emptied our recycling bin.", "This Thursday the truck filled our recycling bin with other people's rubbish."),
    ("The car's fuel gauge showed a full tank when I set off.", "After thirty kilometers it still showed nearly full.", "After thirty kilometers it showed a tank fuller than full, spilling over."),
    ("We booked a table for two at 8.", "At 8 the host led us to a table for two.", "At 8 the host led us to a table for forty in the car park."),
    # Games and sport
    ("In the board game, you move forward the number shown on the die. I rolled a four.", "I moved my piece four spaces.", "I moved my piece back to the start and took everyone's money."),
    ("The marathon route is 42.2 kilometers.", "The winner crossed the line after 42.2 kilometers.", "The winner took a taxi for the middle twenty kilometers and was still given the medal."),
    ("In tennis, the ball must land inside the lines.", "Her shot landed on the baseline and the point was hers.", "Her shot landed in the car park and the umpire gave her the point."),
    ("A basketball team has five players on the court.", "Both teams started with five players.", "One team started with five players and the other with fourteen, and play went on."),
    ("The quiz rules allow one answer per team.", "Each team wrote down a single answer.", "One team shouted out nine answers and got points for the right one."),
    ("In chess, a bishop moves diagonally.", "My bishop moved diagonally from c1 to g5.", "My bishop moved in an L shape, jumped over two pawns, and my opponent accepted it."),
    ("The golf course's first hole is a par three.", "Most players finished it in three or four strokes.", "The course record for the hole is minus two strokes."),
    # Health and body
    ("He ran ten kilometers in the summer heat.", "Afterwards he was sweaty and thirsty.", "Afterwards he was bone dry and had gained energy he did not need to replenish."),
    ("She hadn't slept for two days.", "She was exhausted and kept yawning.", "She was fresher and more rested than ever."),
    ("The nurse took my temperature while I had a mild fever.", "The thermometer read 38.1 degrees.", "The thermometer read 12 degrees."),
    ("The baby was born in the spring.", "By the following spring she was one year old.", "By the following spring she was thirty years old."),
    ("I cut my finger while chopping onions.", "It bled a little and I put a bandage on it.", "Instead of blood, sand poured out."),
    ("We ate a huge Sunday lunch with three courses.", "Afterwards everyone felt full.", "Afterwards everyone felt as if they had not eaten for a week."),
    # Language and reading
    ("The sign is written in English for tourists.", "It read: 'Please keep off the grass.'", "It read: 'Ksp lmmq rrta vuu.'"),
    ("The dictionary defines 'bachelor' as an unmarried man.", "My bachelor uncle has never been married.", "My bachelor uncle has been married for forty years."),
    ("The novel is a murder mystery.", "The detective solved the crime in the final chapter.", "The last chapter was a tax form, and the book never mentioned a crime."),
    ("The translator was asked to translate the letter into French.", "She returned the letter in French.", "She returned the letter in the original English, with every third word deleted."),
    ("The teacher asked the class to write a haiku.", "Each poem had three short lines.", "Each poem was a twelve-page essay about tractors."),
    ("The subtitles are meant to match the dialogue.", "When the actor said 'good morning', the subtitle said 'good morning'.", "When the actor said 'good morning', the subtitle said 'the bridge is made of cheese'."),
    # Money and shopping
    ("The shirt was on sale at half price, marked down from 40 dollars.", "I paid 20 dollars for it.", "I paid 80 dollars for it."),
    ("The buy-one-get-one-free offer applied to the cereal.", "I took two boxes and paid for one.", "I took two boxes and was charged for three."),
    ("The coffee shop's loyalty card gives a free coffee after nine stamps.", "After my ninth stamp, the tenth coffee was free.", "After ninety stamps I still had not been given a free coffee, and the card was valid."),
    ("Interest on my savings account is positive.", "At the end of the year the balance had grown a little.", "At the end of the year the bank had taken half my savings as interest."),
    ("The price tag on the book says 12 pounds.", "At the till I was charged 12 pounds.", "At the till I was charged 1,200 pounds."),
    ("The fare machine accepts exact change only. I put in exactly the fare.", "The ticket printed.", "The machine kept my money, printed nothing, and said I owed more."),
    # More stories
    ("The plan for the surprise party was simple: everyone hides, the lights go off, and when Maya walks in, we all shout. At 7 we heard her key in the lock.",
     "The lights went off, she stepped in, and the whole room yelled 'Surprise!'",
     "The lights stayed on, everyone was standing in the hallway, and we had already told her about it."),
    ("The instructions for the bookshelf said to attach the back panel last. Omar read every step twice and followed them in order.",
     "When he finished, the shelf stood straight and solid.",
     "When he finished, he had built a working canoe, and the back panel was installed first."),
    ("Tomás always keeps his keys in the blue bowl by the door. He came home, dropped them there, and went to bed.",
     "In the morning the keys were in the blue bowl.",
     "In the morning the keys were frozen in a block of ice in the garden pond."),
    ("The town has held its summer fair on the first Saturday of July for sixty years. Posters went up in June as usual.",
     "On the first Saturday of July, the green was full of stalls and music.",
     "On the first Saturday of July the green was empty, and the fair happened in November without any notice."),
    ("The bakery down the road sells out of croissants by 9 every morning. I got there at 7:30 today.",
     "There was still a full tray of croissants.",
     "They said they had never baked a croissant in their lives."),
    ("The class was told the field trip bus would leave at 8:30 sharp, so everyone should be there by 8:15.",
     "By 8:15 the children were lined up with their packed lunches.",
     "The bus left at 6, empty, and the children were told to walk the forty kilometers."),
    ("The phone's weather app forecast sunshine all day, and the sky was cloudless when we left.",
     "We spent the afternoon on the beach in bright sun.",
     "Within minutes it was snowing heavily in August on a cloudless beach."),
    ("The coach told the team to rest on the day before the final. Most of them went to bed early.",
     "They arrived at the stadium fresh and ready.",
     "They arrived at the stadium having run three marathons overnight on the coach's orders."),
    # Longer stories
    ("Every morning for twenty years, Mr. Patel opened his newsagent's shop at 6 a.m., set out the papers, and put the kettle on. The regulars knew they could count on him. On Tuesday, a customer arrived at 6:05.",
     "The shutters were up, the papers were stacked, and Mr. Patel was pouring his tea.",
     "The shop had become a bowling alley overnight, and Mr. Patel had never heard of newspapers."),
    ("The recipe card was clear: mix the dry ingredients, add the eggs one at a time, then fold in the melted butter. Nadia followed it carefully.",
     "The batter came out smooth, and the muffins rose nicely in the oven.",
     "The batter turned into a bowl of gravel, and the muffins shrank to the size of peas in the oven."),
    ("Our cat has been fed at 7 every evening since she was a kitten. She starts meowing at the kitchen door around quarter to.",
     "Tonight was no different: at 6:45 she was at the door, complaining loudly.",
     "Tonight she ignored the food entirely and started barking at the mail carrier."),
    ("The hiking club sets out every Sunday at 8 from the church car park. The leader, Ines, is never late and always brings the map.",
     "This Sunday she was there at 7:50, map in hand, counting heads.",
     "This Sunday she turned up at noon without a map and led everyone into the lake."),
    ("The company's policy is to reply to every customer email within one business day. I wrote to them on Monday morning about a broken zipper.",
     "By Monday afternoon I had a reply offering a replacement.",
     "Eight months later I am still waiting, and the autoresponder says they never received it."),
    ("In the experiment, each plant got the same soil, the same light and the same water. Only the fertilizer differed.",
     "The fertilized plants grew somewhat taller than the others.",
     "The unfertilized plants grew into trees and the fertilized ones turned to glass."),
    ("Kim has taken the 7:15 bus to work every weekday for a decade. The route has not changed in all that time.",
     "On Wednesday she took the 7:15 bus and got to work at the usual time.",
     "On Wednesday the 7:15 bus arrived at work before it had left her stop."),
    ("The bridge has a sign: maximum weight 3 tonnes. The council checks it every spring.",
     "A small van crossed slowly, well under the limit.",
     "A 40-tonne truck full of gravel rolled across it every hour all day."),
    ("The museum's lost-and-found keeps items for thirty days before donating them. I lost my scarf there on the 1st and went back on the 10th.",
     "They found it in the box and handed it back.",
     "They told me it had been donated on the 2nd."),
    ("My grandmother's clock chimes once at one o'clock, twice at two, and so on. I was reading when it struck four.",
     "It chimed four times.",
     "It chimed seventeen times."),
    # Multi-paragraph
    ("Our building has a strict rule about the shared laundry room: machines can be booked in two-hour slots on the sheet by the door, and clothes left after the slot ends go into the lost-property basket.\n\nOn Saturday I booked 10 to 12 and wrote my flat number clearly. At 12:05 I came down with my basket.",
     "My neighbor's slot had started, so I moved my dry clothes out quickly and she loaded her sheets. Everything matched the sheet by the door.",
     "Someone had crossed out my name, started a load at 10:30 on my booking, and the caretaker told me the sheet had never mattered in this building."),
    ("The recipe my aunt sent is for her famous lemon cake. It says: 'Use four eggs, 250 grams of sugar and the zest of two lemons. Bake at 180 degrees for 40 minutes, until a skewer comes out clean.'\n\nI followed it exactly, weighed everything twice, and set a timer.",
     "After 40 minutes the skewer came out clean, the top was golden, and the kitchen smelled of lemons.",
     "After 40 minutes the cake had turned into a bowl of cold lemonade, and the skewer came out covered in ice."),
    ("The airline's policy is printed on every ticket: passengers in boarding group 1 board first, then group 2, and so on. Group numbers are strictly enforced at the gate.\n\nI was in group 4. When the gate agent called group 1, I stayed in my seat and waited.",
     "Groups 1, 2 and 3 went through in order, then the agent called group 4 and scanned my boarding pass.",
     "The agent waved group 4 through first, then group 9, then said group 1 could board last if there were seats left."),
    ("Every year on the last Friday of June the primary school holds its sports day. Parents get a letter two weeks ahead, the field is marked out the day before, and the events always end with the parents' race.\n\nThis year the letter came on time and the lines were painted on Thursday.",
     "On Friday the children ran their races, the parents' race closed the afternoon, and everyone went home sunburnt.",
     "On Friday nobody came; the school had quietly moved sports day to a Tuesday in November and never told anyone."),
    ("The instructions for the flat-pack wardrobe said it needed two people, took about an hour, and used exactly the screws in the bag, with none left over.\n\nMy brother and I laid out every part, counted the screws, and followed the diagrams page by page.",
     "An hour and ten minutes later the wardrobe was standing, the doors closed properly, and the screw bag was empty.",
     "An hour later the wardrobe was standing, and we had forty-three screws, two doors and a shelf left over, though every step had been followed."),
    ("Our office coffee machine is programmed to switch on at 7:30 every weekday so the coffee is ready when people arrive. Facilities checked the timer last week.\n\nOn Monday I arrived at 7:45.",
     "The machine was warm, the light was green, and the first pot was ready.",
     "The machine was stone cold, and its display said the next switch-on was scheduled for the year 2091."),
]

# Sequences: (name, list of items, index to break, replacement for the broken item)
SEQUENCES = [
    ("weekdays", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], 2, "Saturday"),
    ("months", ["January", "February", "March", "April", "May", "June"], 3, "October"),
    ("alphabet", ["A", "B", "C", "D", "E", "F"], 3, "Q"),
    ("even", ["2", "4", "6", "8", "10", "12"], 3, "9"),
    ("odd", ["1", "3", "5", "7", "9", "11"], 4, "10"),
    ("fives", ["5", "10", "15", "20", "25", "30"], 4, "27"),
    ("tens", ["10", "20", "30", "40", "50", "60"], 2, "35"),
    ("doubling", ["1", "2", "4", "8", "16", "32"], 4, "15"),
    ("squares", ["1", "4", "9", "16", "25", "36"], 3, "17"),
    ("fibonacci", ["1", "1", "2", "3", "5", "8", "13"], 5, "9"),
    ("countdown", ["10", "9", "8", "7", "6", "5"], 3, "12"),
    ("quarter_hours", ["8:00", "8:15", "8:30", "8:45", "9:00"], 2, "8:37"),
    ("ordinals", ["first", "second", "third", "fourth", "fifth"], 2, "seventh"),
    ("planets", ["Mercury", "Venus", "Earth", "Mars", "Jupiter"], 3, "Neptune"),
    ("leap_years", ["2012", "2016", "2020", "2024", "2028"], 2, "2021"),
    ("hundreds", ["100", "200", "300", "400", "500"], 3, "450"),
    ("seasons", ["spring", "summer", "autumn", "winter", "spring"], 2, "spring"),
    ("decades", ["1950s", "1960s", "1970s", "1980s", "1990s"], 2, "1920s"),
    ("halves", ["64", "32", "16", "8", "4", "2"], 3, "11"),
    ("threes", ["3", "6", "9", "12", "15", "18"], 4, "16"),
    ("notes", ["do", "re", "mi", "fa", "sol", "la"], 3, "ti"),
    ("primes", ["2", "3", "5", "7", "11", "13"], 4, "12"),
    ("floors", ["ground floor", "1st floor", "2nd floor", "3rd floor", "4th floor"], 3, "9th floor"),
    ("greek", ["alpha", "beta", "gamma", "delta", "epsilon"], 2, "omega"),
    ("dates", ["March 29", "March 30", "March 31", "April 1", "April 2"], 3, "March 32"),
    ("hours", ["1 p.m.", "2 p.m.", "3 p.m.", "4 p.m.", "5 p.m."], 2, "11 a.m."),
    ("roman", ["I", "II", "III", "IV", "V", "VI"], 3, "VII"),
    ("sizes", ["XS", "S", "M", "L", "XL"], 2, "XXL"),
]

SEQUENCE_FRAMES = [
    "{items}",
    "The pattern goes: {items}.",
    "Here is the sequence written on the whiteboard: {items}.",
    "Labels on the storage boxes, left to right: {items}.",
    "The list in the spreadsheet column reads {items}.",
    "My son recited them in order: {items}.",
    "The signs along the path read, one after another: {items}.",
    "Sequence check.\nInput: {items}",
    "Printed on the ticket stubs in order: {items}.",
    "The tabs in the binder are labeled {items}.",
]

# Rule families: (name, rule sentence, outcome template, compliant values, breaking values)
RULES = [
    ("closing", ["The café closes at {limit} p.m.", "Kitchen hours end at {limit} p.m.", "Last orders are taken at {limit} p.m."],
     ["The waiter took our order at {value} p.m.", "We ordered dinner at {value} p.m. and were served.", "They served us at {value} p.m."],
     {"limit": ["8", "9", "10"]}, "before", "after"),
    ("occupancy", ["The elevator holds a maximum of {limit} people.", "Room capacity: {limit} people.", "The boat is licensed for {limit} passengers at most."],
     ["{value} people got in and the door closed.", "We counted {value} people inside.", "{value} of us went aboard and it set off."],
     {"limit": ["8", "10", "12"]}, "below", "above"),
    ("age", ["Only people {limit} and older may enter.", "Minimum age for the ride: {limit}.", "The film is rated {limit}+."],
     ["The usher let in a {value}-year-old.", "A {value}-year-old was waved through.", "They admitted a {value}-year-old on her own."],
     {"limit": ["16", "18", "21"]}, "above", "below"),
    ("budget", ["Our budget for the party is ${limit}.", "The trip must cost no more than ${limit}.", "The team can spend up to ${limit} on equipment."],
     ["In the end we spent ${value}.", "The final bill came to ${value}.", "Receipts added up to ${value}."],
     {"limit": ["200", "500", "1000"]}, "below", "above"),
    ("weight", ["Checked bags may weigh up to {limit} kg.", "The shelf is rated for {limit} kg.", "The bridge limit is {limit} tonnes."],
     ["The scale showed {value}.", "What we put on it weighed {value}.", "It carried a load of {value}."],
     {"limit": ["20", "23", "30"]}, "below", "above"),
    ("temperature", ["The vaccine must be stored below {limit} degrees.", "Keep the fish below {limit} degrees.", "The server room must stay below {limit} degrees."],
     ["The log shows it stayed at {value} degrees all night.", "The thermometer read {value} degrees.", "Overnight it sat at {value} degrees."],
     {"limit": ["8", "10", "25"]}, "below", "above"),
    ("deadline", ["Applications close on the {limit}th.", "Homework is due on the {limit}th.", "Registration ends on the {limit}th."],
     ["Hers arrived on the {value} and was accepted.", "He submitted his on the {value} and it counted.", "Mine went in on the {value} and was processed as usual."],
     {"limit": ["15", "20", "25"]}, "before", "after"),
    ("dose", ["Adults should take no more than {limit} tablets a day.", "Do not exceed {limit} doses in 24 hours.", "The label says: maximum {limit} capsules daily."],
     ["She took {value} that day.", "He had {value} in total over the day.", "Altogether I took {value}."],
     {"limit": ["4", "6", "8"]}, "below", "above"),
    ("password", ["Passwords must be at least {limit} characters long.", "Wi-Fi keys on this network need at least {limit} characters.", "Usernames need at least {limit} characters."],
     ["Mine has {value} characters and the form accepted it.", "I entered one with {value} characters and it was accepted.", "The one I chose, {value} characters long, was saved."],
     {"limit": ["8", "10", "12"]}, "above", "below"),
]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rule_values(limit: int, side: str) -> list[int]:
    span = max(1, limit // 4)
    if side == "below":
        return [limit - span, limit - 1] if limit > 2 else [limit - 1]
    if side == "before":
        return [limit - span, limit - 1]
    if side == "above":
        return [limit + span, limit + 1 + span * 2]
    if side == "after":
        return [limit + 1, limit + span]
    raise ValueError(side)


def candidates(rng, held) -> list[Candidate]:
    out = []
    for i, (setup, expected, violated) in enumerate(SCENARIOS):
        out.append(Candidate(positive=f"{setup} {violated}", negative=f"{setup} {expected}", primary=f"scenario{i:03d}", secondary=("kind:scenario",)))

    for name, items, broken, replacement in SEQUENCES:
        # Three wordings per sequence: enough to vary, few enough that stories stay the majority.
        for f in sorted(rng.sample(range(len(SEQUENCE_FRAMES)), 3)):
            frame = SEQUENCE_FRAMES[f]
            # Vary the window so two renderings of one sequence are not near-duplicates of each other.
            start = rng.randrange(0, 2)
            window = items[start:]
            b = broken - start if broken - start >= 1 else 1
            bad = list(window)
            bad[b] = replacement
            out.append(Candidate(
                positive=fill(frame, items=", ".join(bad)),
                negative=fill(frame, items=", ".join(window)),
                primary=f"sequence:{name}", secondary=(f"seqframe:{f}",),
            ))

    for name, rules, outcomes, limits, ok_side, bad_side in RULES:
        for r, rule in enumerate(rules):
            for o in sorted(rng.sample(range(len(outcomes)), 2)):
                outcome = outcomes[o]
                limit = rng.choice(limits["limit"])
                ok = rng.choice(rule_values(int(limit), ok_side))
                bad = rng.choice(rule_values(int(limit), bad_side))
                unit = " kg" if name == "weight" and "kg" in rule else (" tonnes" if name == "weight" else "")
                show = ordinal if name == "deadline" else (lambda v: f"{v}{unit}")
                out.append(Candidate(
                    positive=f"{fill(rule, limit=limit)} {fill(outcome, value=show(bad))}",
                    negative=f"{fill(rule, limit=limit)} {fill(outcome, value=show(ok))}",
                    primary=f"rule:{name}", secondary=(f"ruleframe:{name}{r}{o}",),
                ))
    return out
