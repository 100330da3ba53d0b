"""code_violated vs code_expected: a short snippet whose code breaks its own evident intent vs the correct one.

Every snippet states its intent (docstring, comment or name); the violated version is the correct one
with one small edit that contradicts that intent (off-by-one, wrong operator, wrong variable, inverted
condition, wrong initial value, swapped arguments, missing step). Minimal pairs: identical but for that
edit. Three sources:
- threshold predicates (one intent, a comparison; the bug moves the boundary or flips the direction),
  rendered in several languages;
- formulas (unit conversions and small arithmetic), rendered in several languages;
- hand-written snippets in many languages (algorithms, string and list handling, SQL, shell, cron,
  regular expressions, configuration).
Each bug is applied by replacing one exact substring, checked to occur exactly once.
Primary split key: the concept (a held-out concept is unseen in every language).
"""
from __future__ import annotations

import textwrap

from common import Candidate


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def pascal(name: str) -> str:
    return "".join(p.title() for p in name.split("_"))


# MARK: - Threshold predicates
# (name, param, intent phrase, operator, constant, buggy operator)
THRESHOLDS = [
    ("is_adult", "age", "age is 18 or older", ">=", "18", ">"),
    ("has_free_shipping", "total", "the order total is at least 50", ">=", "50", ">"),
    ("is_overheating", "temp_c", "the temperature is above 90 degrees", ">", "90", "<"),
    ("can_retire", "age", "the person is 67 or older", ">=", "67", "<="),
    ("is_passing", "score", "the score is 60 or more", ">=", "60", ">"),
    ("needs_restock", "count", "fewer than 5 units are left", "<", "5", "<="),
    ("is_low_battery", "percent", "the battery is below 20 percent", "<", "20", ">"),
    ("qualifies_for_bulk_price", "quantity", "the customer buys 10 or more items", ">=", "10", ">"),
    ("is_fever", "temp_tenths", "the temperature, in tenths of a degree, is 380 or higher", ">=", "380", "<="),
    ("is_overdue", "days_late", "the item is more than 0 days late", ">", "0", ">="),
    ("is_speeding", "speed_kmh", "the speed exceeds the 50 km/h limit", ">", "50", ">="),
    ("is_underweight_parcel", "grams", "the parcel weighs less than 500 grams", "<", "500", ">"),
    ("can_rent_car", "age", "the driver is at least 21", ">=", "21", ">"),
    ("is_high_score", "points", "the points beat the record of 9000", ">", "9000", "<"),
    ("is_freezing", "temp_c", "the temperature is at or below 0 degrees", "<=", "0", "<"),
    ("needs_password_change", "days", "the password is 90 days old or older", ">=", "90", ">"),
    ("is_full", "seats_taken", "all 120 seats are taken", "==", "120", "!="),
    ("is_empty", "length", "the queue has no items", "==", "0", "!="),
    ("gets_senior_discount", "age", "the customer is 65 or older", ">=", "65", "<"),
    ("is_valid_month", "month", "the month number is at most 12", "<=", "12", "<"),
    ("is_large_file", "size_mb", "the file is larger than 100 megabytes", ">", "100", "<"),
    ("needs_more_sleep", "hours", "the person slept less than 7 hours", "<", "7", ">="),
    ("is_critical_level", "level", "the alert level is 4 or above", ">=", "4", ">"),
    ("is_toddler", "months", "the child is younger than 36 months", "<", "36", "<="),
    ("can_withdraw", "balance", "the balance is greater than zero", ">", "0", "<"),
    ("is_heavy_rain", "mm_per_hour", "rainfall is at least 8 mm per hour", ">=", "8", "<="),
    ("is_short_password", "length", "the password is shorter than 12 characters", "<", "12", ">"),
    ("is_late_arrival", "minutes", "the train arrived more than 5 minutes late", ">", "5", ">="),
    ("is_quorum", "present", "at least 7 members are present", ">=", "7", ">"),
    ("is_within_budget", "spent", "spending does not exceed 2000", "<=", "2000", ">="),
    ("needs_oil_change", "km_since_service", "10000 km or more have passed since the last service", ">=", "10000", ">"),
    ("is_humid", "humidity", "relative humidity is above 70 percent", ">", "70", "<"),
    ("is_eligible_voter", "age", "the citizen is 18 or older", ">=", "18", "<"),
    ("is_cold_storage_ok", "temp_c", "the fridge is at 4 degrees or colder", "<=", "4", ">="),
    ("has_unread", "unread_count", "there is at least one unread message", ">", "0", "=="),
    ("is_peak_hour", "hour", "the hour is before 9 (morning rush)", "<", "9", ">"),
    ("is_long_video", "seconds", "the video is longer than 600 seconds", ">", "600", "<"),
    ("can_board", "group", "the boarding group is 3 or lower", "<=", "3", ">="),
]

# (language, template). {intent} is the phrase, {op}/{const} the comparison.
THRESHOLD_TEMPLATES = {
    "python": 'def {name}({param}):\n    """Return True if {intent}."""\n    return {param} {op} {const}\n',
    "javascript": "// Returns true if {intent}.\nfunction {camel}({param}) {{\n  return {param} {op} {const};\n}}\n",
    "go": "// {pascal} reports whether {intent}.\nfunc {pascal}({param} int) bool {{\n\treturn {param} {op} {const}\n}}\n",
    "rust": "/// Returns true if {intent}.\nfn {name}({param}: i64) -> bool {{\n    {param} {op} {const}\n}}\n",
    "java": "/** Returns true if {intent}. */\nstatic boolean {camel}(int {param}) {{\n    return {param} {op} {const};\n}}\n",
    "c": "/* Returns 1 if {intent}, otherwise 0. */\nint {name}(int {param}) {{\n    return {param} {op} {const};\n}}\n",
    "ruby": "# Returns true if {intent}.\ndef {name}?({param})\n  {param} {op} {const}\nend\n",
    "kotlin": "/** Returns true if {intent}. */\nfun {camel}({param}: Int): Boolean = {param} {op} {const}\n",
    "csharp": "/// <summary>Returns true if {intent}.</summary>\npublic static bool {pascal}(int {param}) => {param} {op} {const};\n",
    "swift": "/// Returns true if {intent}.\nfunc {camel}(_ {param}: Int) -> Bool {{\n    return {param} {op} {const}\n}}\n",
}

# MARK: - Formulas
# (name, params, intent, python expr, c-like expr, buggy python expr, buggy c-like expr)
FORMULAS = [
    ("celsius_to_fahrenheit", ["c"], "Convert degrees Celsius to Fahrenheit", "c * 9 / 5 + 32", "c * 9.0 / 5.0 + 32.0", "c * 5 / 9 + 32", "c * 5.0 / 9.0 + 32.0"),
    ("fahrenheit_to_celsius", ["f"], "Convert degrees Fahrenheit to Celsius", "(f - 32) * 5 / 9", "(f - 32.0) * 5.0 / 9.0", "f - 32 * 5 / 9", "f - 32.0 * 5.0 / 9.0"),
    ("km_to_miles", ["km"], "Convert kilometers to miles", "km * 0.621371", "km * 0.621371", "km / 0.621371", "km / 0.621371"),
    ("minutes_to_seconds", ["minutes"], "Convert minutes to seconds", "minutes * 60", "minutes * 60.0", "minutes / 60", "minutes / 60.0"),
    ("bytes_to_kib", ["n"], "Convert a byte count to kibibytes", "n / 1024", "n / 1024.0", "n * 1024", "n * 1024.0"),
    ("kg_to_pounds", ["kg"], "Convert kilograms to pounds", "kg * 2.20462", "kg * 2.20462", "kg / 2.20462", "kg / 2.20462"),
    ("inches_to_cm", ["inches"], "Convert inches to centimeters", "inches * 2.54", "inches * 2.54", "inches + 2.54", "inches + 2.54"),
    ("percent_of", ["part", "whole"], "Return part as a percentage of whole", "part / whole * 100", "part / whole * 100.0", "whole / part * 100", "whole / part * 100.0"),
    ("mean_of_two", ["a", "b"], "Return the arithmetic mean of a and b", "(a + b) / 2", "(a + b) / 2.0", "a + b / 2", "a + b / 2.0"),
    ("rectangle_area", ["width", "height"], "Return the area of a rectangle", "width * height", "width * height", "width + height", "width + height"),
    ("rectangle_perimeter", ["width", "height"], "Return the perimeter of a rectangle", "2 * (width + height)", "2.0 * (width + height)", "2 * width + height", "2.0 * width + height"),
    ("price_with_tax", ["price", "rate"], "Return the price including tax, where rate is a fraction such as 0.2", "price * (1 + rate)", "price * (1.0 + rate)", "price * rate", "price * rate"),
    ("discounted_price", ["price", "percent_off"], "Return the price after a percentage discount", "price * (1 - percent_off / 100)", "price * (1.0 - percent_off / 100.0)", "price * percent_off / 100", "price * percent_off / 100.0"),
    ("body_mass_index", ["weight_kg", "height_m"], "Return the body-mass index: weight divided by height squared", "weight_kg / (height_m * height_m)", "weight_kg / (height_m * height_m)", "weight_kg / height_m * 2", "weight_kg / height_m * 2.0"),
    ("average_speed", ["distance", "hours"], "Return the average speed given distance and travel time", "distance / hours", "distance / hours", "hours / distance", "hours / distance"),
    ("hours_to_days", ["hours"], "Convert hours to days", "hours / 24", "hours / 24.0", "hours * 24", "hours * 24.0"),
    ("circle_circumference", ["radius"], "Return the circumference of a circle", "2 * 3.14159 * radius", "2.0 * 3.14159 * radius", "3.14159 * radius * radius", "3.14159 * radius * radius"),
    ("liters_to_milliliters", ["liters"], "Convert liters to milliliters", "liters * 1000", "liters * 1000.0", "liters / 1000", "liters / 1000.0"),
    ("tip_amount", ["bill", "tip_percent"], "Return the tip for a bill at the given tip percentage", "bill * tip_percent / 100", "bill * tip_percent / 100.0", "bill / tip_percent * 100", "bill / tip_percent * 100.0"),
    ("profit_margin", ["revenue", "cost"], "Return the profit margin as a fraction of revenue", "(revenue - cost) / revenue", "(revenue - cost) / revenue", "(revenue - cost) / cost", "(revenue - cost) / cost"),
    ("compound_once", ["principal", "rate"], "Return the balance after one year of interest at the given rate", "principal * (1 + rate)", "principal * (1.0 + rate)", "principal + rate", "principal + rate"),
    ("triangle_area", ["base", "height"], "Return the area of a triangle", "base * height / 2", "base * height / 2.0", "base * height * 2", "base * height * 2.0"),
]

FORMULA_TEMPLATES = {
    "python": ('def {name}({args}):\n    """{intent}."""\n    return {expr}\n', ", ", "{p}"),
    "javascript": ("// {intent}.\nfunction {camel}({args}) {{\n  return {expr};\n}}\n", ", ", "{p}"),
    "go": ("// {pascal}: {intent}.\nfunc {pascal}({args} float64) float64 {{\n\treturn {expr}\n}}\n", ", ", "{p}"),
    "rust": ("/// {intent}.\nfn {name}({args}) -> f64 {{\n    {expr}\n}}\n", ", ", "{p}: f64"),
    "java": ("/** {intent}. */\nstatic double {camel}({args}) {{\n    return {expr};\n}}\n", ", ", "double {p}"),
    "c": ("/* {intent}. */\ndouble {name}({args}) {{\n    return {expr};\n}}\n", ", ", "double {p}"),
    "csharp": ("// {intent}.\npublic static double {pascal}({args}) => {expr};\n", ", ", "double {p}"),
    "typescript": ("// {intent}.\nexport function {camel}({args}): number {{\n  return {expr};\n}}\n", ", ", "{p}: number"),
}


def c_like_names(expr: str, params: list[str], language: str) -> str:
    """Renames snake_case parameters to camelCase in languages that use it."""
    if language in ("javascript", "java", "typescript", "csharp"):
        for p in sorted(params, key=len, reverse=True):
            expr = expr.replace(p, camel(p))
    return expr


# MARK: - Hand-written snippets
# (concept, language, code, correct substring, buggy substring)
SNIPPETS = [
    ("max_of_list", "python", '''
        def largest(values):
            """Return the largest number in a non-empty list."""
            best = values[0]
            for v in values[1:]:
                if v > best:
                    best = v
            return best
        ''', "if v > best:", "if v < best:"),
    ("max_of_list", "go", '''
        // Max returns the largest element of a non-empty slice.
        func Max(xs []int) int {
            m := xs[0]
            for _, x := range xs[1:] {
                if x > m {
                    m = x
                }
            }
            return m
        }
        ''', "m := xs[0]", "m := 0"),
    ("sum_list", "python", '''
        def total(prices):
            """Add up all the prices."""
            result = 0
            for p in prices:
                result += p
            return result
        ''', "result += p", "result = p"),
    ("sum_list", "javascript", '''
        // Sum all numbers in the array.
        function sum(numbers) {
          let s = 0;
          for (let i = 0; i < numbers.length; i++) {
            s += numbers[i];
          }
          return s;
        }
        ''', "i < numbers.length", "i < numbers.length - 1"),
    ("product_list", "python", '''
        def product(numbers):
            """Multiply all the numbers together; the product of an empty list is 1."""
            result = 1
            for n in numbers:
                result *= n
            return result
        ''', "result = 1", "result = 0"),
    ("product_list", "rust", '''
        /// Multiplies all factors together.
        fn product(factors: &[i64]) -> i64 {
            factors.iter().fold(1, |acc, x| acc * x)
        }
        ''', "fold(1, |acc, x| acc * x)", "fold(1, |acc, x| acc + x)"),
    ("factorial", "python", '''
        def factorial(n):
            """Return n! for n >= 0."""
            result = 1
            for k in range(2, n + 1):
                result *= k
            return result
        ''', "range(2, n + 1)", "range(2, n)"),
    ("factorial", "c", '''
        /* Returns n! (n factorial) for n >= 0. */
        unsigned long factorial(unsigned int n) {
            if (n == 0) return 1;
            return n * factorial(n - 1);
        }
        ''', "return n * factorial(n - 1);", "return n * factorial(n - 2);"),
    ("fibonacci", "python", '''
        def fib(n):
            """Return the n-th Fibonacci number, with fib(0) == 0 and fib(1) == 1."""
            a, b = 0, 1
            for _ in range(n):
                a, b = b, a + b
            return a
        ''', "a, b = b, a + b", "a, b = b, a * b"),
    ("fibonacci", "java", '''
        /** Returns the n-th Fibonacci number (fib(0) = 0, fib(1) = 1). */
        static long fib(int n) {
            long a = 0, b = 1;
            for (int i = 0; i < n; i++) {
                long next = a + b;
                a = b;
                b = next;
            }
            return a;
        }
        ''', "long next = a + b;", "long next = a - b;"),
    ("is_even", "python", '''
        def is_even(n):
            """True when n is divisible by two."""
            return n % 2 == 0
        ''', "n % 2 == 0", "n % 2 == 1"),
    ("is_even", "kotlin", '''
        /** True when n is an even number. */
        fun isEven(n: Int): Boolean = n % 2 == 0
        ''', "n % 2 == 0", "n / 2 == 0"),
    ("leap_year", "python", '''
        def is_leap_year(year):
            """Gregorian rule: divisible by 4, except centuries, unless divisible by 400."""
            return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        ''', "year % 400 == 0", "year % 400 != 0"),
    ("leap_year", "javascript", '''
        // Gregorian leap year: every 4 years, except centuries not divisible by 400.
        function isLeapYear(y) {
          return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        }
        ''', "y % 100 !== 0", "y % 100 === 0"),
    ("reverse_string", "python", '''
        def reverse(s):
            """Return the characters of s in reverse order."""
            return s[::-1]
        ''', "s[::-1]", "s[::1]"),
    ("reverse_string", "csharp", '''
        // Returns the input string reversed.
        public static string Reverse(string s)
        {
            var chars = s.ToCharArray();
            Array.Reverse(chars);
            return new string(chars);
        }
        ''', "Array.Reverse(chars);", "Array.Sort(chars);"),
    ("palindrome", "python", '''
        def is_palindrome(word):
            """True if the word reads the same forwards and backwards, ignoring case."""
            w = word.lower()
            return w == w[::-1]
        ''', "return w == w[::-1]", "return w != w[::-1]"),
    ("palindrome", "go", '''
        // IsPalindrome reports whether s reads the same in both directions.
        func IsPalindrome(s string) bool {
            for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
                if s[i] != s[j] {
                    return false
                }
            }
            return true
        }
        ''', "i, j = i+1, j-1", "i, j = i+1, j+1"),
    ("binary_search", "python", '''
        def binary_search(items, target):
            """Return the index of target in the sorted list items, or -1 if absent."""
            lo, hi = 0, len(items) - 1
            while lo <= hi:
                mid = (lo + hi) // 2
                if items[mid] == target:
                    return mid
                if items[mid] < target:
                    lo = mid + 1
                else:
                    hi = mid - 1
            return -1
        ''', "while lo <= hi:", "while lo < hi:"),
    ("binary_search", "java", '''
        /** Returns the index of key in the sorted array a, or -1 if not found. */
        static int search(int[] a, int key) {
            int lo = 0, hi = a.length - 1;
            while (lo <= hi) {
                int mid = lo + (hi - lo) / 2;
                if (a[mid] < key) lo = mid + 1;
                else if (a[mid] > key) hi = mid - 1;
                else return mid;
            }
            return -1;
        }
        ''', "if (a[mid] < key) lo = mid + 1;", "if (a[mid] < key) hi = mid - 1;"),
    ("gcd", "python", '''
        def gcd(a, b):
            """Greatest common divisor by Euclid's algorithm."""
            while b:
                a, b = b, a % b
            return a
        ''', "a, b = b, a % b", "a, b = b, a // b"),
    ("gcd", "rust", '''
        /// Greatest common divisor of two non-negative integers.
        fn gcd(a: u64, b: u64) -> u64 {
            if b == 0 { a } else { gcd(b, a % b) }
        }
        ''', "if b == 0 { a }", "if b == 0 { b }"),
    ("count_vowels", "python", '''
        def count_vowels(text):
            """Count the vowels (a, e, i, o, u) in text, ignoring case."""
            return sum(1 for ch in text.lower() if ch in "aeiou")
        ''', 'if ch in "aeiou"', 'if ch not in "aeiou"'),
    ("count_vowels", "ruby", '''
        # Counts the vowels in a string, case-insensitively.
        def count_vowels(text)
          text.downcase.count("aeiou")
        end
        ''', "text.downcase.count", "text.count"),
    ("clamp", "python", '''
        def clamp(x, low, high):
            """Limit x to the range [low, high]."""
            return max(low, min(x, high))
        ''', "max(low, min(x, high))", "min(low, max(x, high))"),
    ("clamp", "swift", '''
        /// Limits value to the closed range lower...upper.
        func clamp(_ value: Double, _ lower: Double, _ upper: Double) -> Double {
            return min(max(value, lower), upper)
        }
        ''', "min(max(value, lower), upper)", "min(max(value, upper), lower)"),
    ("last_element", "python", '''
        def last(items):
            """Return the last element of a non-empty list."""
            return items[len(items) - 1]
        ''', "items[len(items) - 1]", "items[len(items)]"),
    ("last_element", "c", '''
        /* Returns the last element of an array of length n (n > 0). */
        int last(const int *a, size_t n) {
            return a[n - 1];
        }
        ''', "return a[n - 1];", "return a[n];"),
    ("swap", "python", '''
        def swap_first_two(items):
            """Swap the first two elements in place."""
            items[0], items[1] = items[1], items[0]
        ''', "items[0], items[1] = items[1], items[0]", "items[0], items[1] = items[0], items[1]"),
    ("swap", "c", '''
        /* Exchange the values pointed to by a and b. */
        void swap(int *a, int *b) {
            int tmp = *a;
            *a = *b;
            *b = tmp;
        }
        ''', "*b = tmp;", "*b = *a;"),
    ("filter_positive", "python", '''
        def positives(numbers):
            """Keep only the numbers greater than zero."""
            return [n for n in numbers if n > 0]
        ''', "if n > 0", "if n >= 0"),
    ("filter_positive", "javascript", '''
        // Keep only the strictly positive numbers.
        const positives = (xs) => xs.filter((x) => x > 0);
        ''', "xs.filter((x) => x > 0)", "xs.filter((x) => x < 0)"),
    ("dedupe_order", "python", '''
        def unique_in_order(items):
            """Drop repeated items, keeping the first occurrence of each, in order."""
            seen = set()
            out = []
            for item in items:
                if item not in seen:
                    seen.add(item)
                    out.append(item)
            return out
        ''', "if item not in seen:", "if item in seen:"),
    ("dedupe_order", "typescript", '''
        // Remove duplicates while keeping the original order.
        function uniqueInOrder<T>(items: T[]): T[] {
          return items.filter((item, index) => items.indexOf(item) === index);
        }
        ''', "items.indexOf(item) === index", "items.indexOf(item) !== index"),
    ("word_count", "python", '''
        def word_count(text):
            """Return how many whitespace-separated words text contains."""
            return len(text.split())
        ''', "len(text.split())", "len(text)"),
    ("word_count", "bash", '''
        #!/bin/sh
        # Print the number of words in the file given as the first argument.
        wc -w < "$1"
        ''', 'wc -w < "$1"', 'wc -l < "$1"'),
    ("merge_sorted", "python", '''
        def merge(a, b):
            """Merge two sorted lists into one sorted list."""
            i = j = 0
            out = []
            while i < len(a) and j < len(b):
                if a[i] <= b[j]:
                    out.append(a[i]); i += 1
                else:
                    out.append(b[j]); j += 1
            return out + a[i:] + b[j:]
        ''', "return out + a[i:] + b[j:]", "return out"),
    ("power", "python", '''
        def power(base, exp):
            """Return base raised to the non-negative integer exp."""
            result = 1
            for _ in range(exp):
                result *= base
            return result
        ''', "result *= base", "result *= exp"),
    ("power", "go", '''
        // Pow returns base to the power exp, for exp >= 0.
        func Pow(base, exp int) int {
            result := 1
            for i := 0; i < exp; i++ {
                result *= base
            }
            return result
        }
        ''', "for i := 0; i < exp; i++", "for i := 1; i < exp; i++"),
    ("safe_divide", "python", '''
        def safe_divide(a, b):
            """Divide a by b, returning None when b is zero."""
            if b == 0:
                return None
            return a / b
        ''', "if b == 0:", "if a == 0:"),
    ("safe_divide", "java", '''
        /** Returns a / b, or 0 when b is zero (to avoid a division error). */
        static double safeDivide(double a, double b) {
            return b == 0 ? 0 : a / b;
        }
        ''', "b == 0 ? 0 : a / b", "b == 0 ? a / b : 0"),
    ("retry_limit", "python", '''
        MAX_ATTEMPTS = 3

        def fetch_with_retry(fetch):
            """Call fetch up to MAX_ATTEMPTS times, returning the first success."""
            for attempt in range(MAX_ATTEMPTS):
                try:
                    return fetch()
                except ConnectionError:
                    continue
            raise RuntimeError("all attempts failed")
        ''', "for attempt in range(MAX_ATTEMPTS):", "for attempt in range(MAX_ATTEMPTS - 1):"),
    ("pagination", "python", '''
        def page_items(items, page, per_page=20):
            """Return the items on a 1-based page number."""
            start = (page - 1) * per_page
            return items[start:start + per_page]
        ''', "start = (page - 1) * per_page", "start = page * per_page"),
    ("pagination", "sql", '''
        -- Page 3 of the results, 25 rows per page (rows 51-75), newest first.
        SELECT id, title FROM articles
        ORDER BY published_at DESC
        LIMIT 25 OFFSET 50;
        ''', "LIMIT 25 OFFSET 50;", "LIMIT 25 OFFSET 75;"),
    ("sql_year_filter", "sql", '''
        -- Customers who signed up during 2023.
        SELECT name, email FROM customers
        WHERE signup_date >= '2023-01-01' AND signup_date < '2024-01-01';
        ''', "signup_date >= '2023-01-01' AND", "signup_date >= '2023-01-01' OR"),
    ("sql_active_users", "sql", '''
        -- Count the users whose accounts are active.
        SELECT COUNT(*) FROM users WHERE is_active = TRUE;
        ''', "WHERE is_active = TRUE", "WHERE is_active = FALSE"),
    ("sql_top_sellers", "sql", '''
        -- The five best-selling products by units sold.
        SELECT product_id, SUM(quantity) AS units
        FROM order_items
        GROUP BY product_id
        ORDER BY units DESC
        LIMIT 5;
        ''', "ORDER BY units DESC", "ORDER BY units ASC"),
    ("sql_join_orders", "sql", '''
        -- Every order together with the name of the customer who placed it.
        SELECT o.id, c.name
        FROM orders o
        JOIN customers c ON c.id = o.customer_id;
        ''', "ON c.id = o.customer_id", "ON c.id = o.id"),
    ("sql_delete_old", "sql", '''
        -- Delete session rows older than 30 days; keep recent ones.
        DELETE FROM sessions
        WHERE created_at < NOW() - INTERVAL '30 days';
        ''', "WHERE created_at < NOW()", "WHERE created_at > NOW()"),
    ("cron_backup", "cron", '''
        # Run the database backup every day at 2:00 a.m.
        0 2 * * * /usr/local/bin/backup-db.sh
        ''', "0 2 * * *", "0 14 * * *"),
    ("cron_report", "cron", '''
        # Send the weekly report every Monday at 9:30.
        30 9 * * 1 /opt/reports/send-weekly.sh
        ''', "30 9 * * 1", "30 9 * * 0"),
    ("regex_zip", "python", '''
        import re

        # A US ZIP code is exactly five digits.
        ZIP = re.compile(r"^\\d{5}$")
        ''', "^\\d{5}$", "^\\d{4}$"),
    ("regex_hex_color", "javascript", '''
        // Matches a CSS hex color such as #1a2b3c (six hex digits).
        const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
        ''', "/^#[0-9a-fA-F]{6}$/", "/^#[0-9a-fA-F]{3}$/"),
    ("shell_cleanup", "bash", '''
        #!/bin/bash
        # Remove log files older than seven days from /var/log/myapp.
        find /var/log/myapp -name '*.log' -mtime +7 -delete
        ''', "-mtime +7", "-mtime -7"),
    ("shell_exists", "bash", '''
        #!/bin/bash
        # Create the output directory only if it does not exist yet.
        if [ ! -d "$OUT_DIR" ]; then
          mkdir "$OUT_DIR"
        fi
        ''', 'if [ ! -d "$OUT_DIR" ]; then', 'if [ -d "$OUT_DIR" ]; then'),
    ("shell_loop", "bash", '''
        #!/bin/bash
        # Ping each of the three hosts once.
        for host in alpha beta gamma; do
          ping -c 1 "$host"
        done
        ''', 'ping -c 1 "$host"', 'ping -c 1 "alpha"'),
    ("css_center", "css", '''
        /* Center the heading text horizontally. */
        h1.title {
          text-align: center;
        }
        ''', "text-align: center;", "text-align: left;"),
    ("css_hide", "css", '''
        /* Hide the cookie banner once it has been dismissed. */
        .cookie-banner.dismissed {
          display: none;
        }
        ''', "display: none;", "display: block;"),
    ("yaml_replicas", "yaml", '''
        # Run three replicas of the web service for redundancy.
        service: web
        replicas: 3
        image: shop/web:1.8.2
        ''', "replicas: 3", "replicas: 1"),
    ("yaml_port", "yaml", '''
        # Expose the API on port 443 over HTTPS.
        api:
          protocol: https
          port: 443
        ''', "port: 443", "port: 80"),
    ("dockerfile_user", "dockerfile", '''
        # Run the app as the unprivileged "app" user, never as root.
        FROM python:3.12-slim
        RUN useradd --create-home app
        USER app
        CMD ["python", "-m", "server"]
        ''', "USER app", "USER root"),
    ("html_required", "html", '''
        <!-- The email field must be filled in before submitting. -->
        <input type="email" name="email" required>
        ''', 'name="email" required>', 'name="email">'),
    ("html_link_new_tab", "html", '''
        <!-- Open the terms of service in a new tab. -->
        <a href="/terms" target="_blank" rel="noopener">Terms of service</a>
        ''', 'target="_blank"', 'target="_self"'),
    ("average_list", "python", '''
        def average(values):
            """Return the mean of a non-empty list of numbers."""
            return sum(values) / len(values)
        ''', "sum(values) / len(values)", "sum(values) / (len(values) + 1)"),
    ("average_list", "ruby", '''
        # Mean of an array of numbers (the array is never empty).
        def average(values)
          values.sum.to_f / values.size
        end
        ''', "values.sum.to_f / values.size", "values.sum.to_f / values.max"),
    ("min_max", "python", '''
        def min_and_max(values):
            """Return a (smallest, largest) tuple."""
            return min(values), max(values)
        ''', "return min(values), max(values)", "return max(values), min(values)"),
    ("count_occurrences", "python", '''
        def count_char(text, ch):
            """Count how many times ch appears in text."""
            count = 0
            for c in text:
                if c == ch:
                    count += 1
            return count
        ''', "if c == ch:", "if c != ch:"),
    ("count_occurrences", "java", '''
        /** Counts how many times target occurs in the array. */
        static int countOf(int[] values, int target) {
            int count = 0;
            for (int v : values) {
                if (v == target) count++;
            }
            return count;
        }
        ''', "if (v == target) count++;", "if (v == target) count--;"),
    ("title_case", "python", '''
        def title_case(sentence):
            """Capitalize the first letter of every word."""
            return " ".join(w[:1].upper() + w[1:] for w in sentence.split())
        ''', "w[:1].upper() + w[1:]", "w[:1].upper() + w[2:]"),
    ("starts_with_prefix", "javascript", '''
        // True if the URL uses the secure https scheme.
        function isSecure(url) {
          return url.startsWith("https://");
        }
        ''', 'url.startsWith("https://")', 'url.startsWith("http://")'),
    ("strip_whitespace", "python", '''
        def clean_lines(lines):
            """Strip surrounding whitespace and drop lines that end up empty."""
            return [s.strip() for s in lines if s.strip()]
        ''', "if s.strip()", "if not s.strip()"),
    ("matrix_transpose", "python", '''
        def transpose(m):
            """Return the transpose of a rectangular matrix given as a list of rows."""
            return [[m[r][c] for r in range(len(m))] for c in range(len(m[0]))]
        ''', "[[m[r][c] for r in range(len(m))] for c in range(len(m[0]))]", "[[m[c][r] for r in range(len(m))] for c in range(len(m[0]))]"),
    ("range_inclusive", "python", '''
        def numbers_between(a, b):
            """All integers from a to b, both ends included."""
            return list(range(a, b + 1))
        ''', "range(a, b + 1)", "range(a, b)"),
    ("range_inclusive", "kotlin", '''
        /** Prints the countdown from 10 down to 1, inclusive. */
        fun countdown() {
            for (i in 10 downTo 1) println(i)
        }
        ''', "10 downTo 1", "10 downTo 2"),
    ("string_join", "go", '''
        // CSVLine joins the fields with commas.
        func CSVLine(fields []string) string {
            return strings.Join(fields, ",")
        }
        ''', 'strings.Join(fields, ",")', 'strings.Join(fields, ";")'),
    ("dict_lookup_default", "python", '''
        def stock_level(inventory, sku):
            """Return how many units of sku are in stock; unknown SKUs have zero."""
            return inventory.get(sku, 0)
        ''', "inventory.get(sku, 0)", "inventory.get(sku, 1)"),
    ("age_from_birth_year", "python", '''
        def age_in(year, birth_year):
            """Age a person reaches during the given year."""
            return year - birth_year
        ''', "return year - birth_year", "return birth_year - year"),
    ("temperature_alert", "javascript", '''
        // Warn when the freezer is warmer than -18 °C.
        function checkFreezer(tempC) {
          if (tempC > -18) {
            alert("Freezer too warm!");
          }
        }
        ''', "if (tempC > -18)", "if (tempC < -18)"),
    ("even_indices", "python", '''
        def every_other(items):
            """Return the items at even positions: 0, 2, 4, ..."""
            return items[::2]
        ''', "items[::2]", "items[1::2]"),
    ("sort_descending", "python", '''
        def highest_first(scores):
            """Return the scores sorted from highest to lowest."""
            return sorted(scores, reverse=True)
        ''', "sorted(scores, reverse=True)", "sorted(scores)"),
    ("sort_descending", "javascript", '''
        // Sort prices from most to least expensive.
        function byPriceDesc(items) {
          return [...items].sort((a, b) => b.price - a.price);
        }
        ''', "(a, b) => b.price - a.price", "(a, b) => a.price - b.price"),
    ("sort_by_name", "python", '''
        def by_surname(people):
            """Sort people alphabetically by surname."""
            return sorted(people, key=lambda p: p["surname"])
        ''', 'key=lambda p: p["surname"]', 'key=lambda p: p["first_name"]'),
    ("null_check", "java", '''
        /** Returns the length of the name, or 0 when name is null. */
        static int nameLength(String name) {
            if (name == null) {
                return 0;
            }
            return name.length();
        }
        ''', "if (name == null) {", "if (name != null) {"),
    ("null_check", "typescript", '''
        // Greets the user by name, or "guest" when no name is set.
        function greet(name?: string): string {
          return `Hello, ${name ?? "guest"}!`;
        }
        ''', '${name ?? "guest"}', '${"guest"}'),
    ("file_close", "python", '''
        def read_config(path):
            """Read the whole config file and make sure it is closed afterwards."""
            with open(path) as f:
                return f.read()
        ''', "with open(path) as f:\n        return f.read()", "f = open(path)\n    return f.read()"),
    ("append_mode", "python", '''
        def log_line(path, message):
            """Append a line to the log file without erasing earlier lines."""
            with open(path, "a") as f:
                f.write(message + "\\n")
        ''', 'open(path, "a")', 'open(path, "w")'),
    ("mutex_unlock", "go", '''
        // Increment adds one to the shared counter safely from many goroutines.
        func (c *Counter) Increment() {
            c.mu.Lock()
            defer c.mu.Unlock()
            c.n++
        }
        ''', "defer c.mu.Unlock()", "c.mu.Unlock()"),
    ("off_by_one_loop", "c", '''
        /* Zero all n elements of the buffer. */
        void clear(int *buf, size_t n) {
            for (size_t i = 0; i < n; i++) {
                buf[i] = 0;
            }
        }
        ''', "for (size_t i = 0; i < n; i++)", "for (size_t i = 0; i <= n; i++)"),
    ("string_copy", "c", '''
        /* Copy at most size - 1 characters and always NUL-terminate dst. */
        void copy_name(char *dst, const char *src, size_t size) {
            strncpy(dst, src, size - 1);
            dst[size - 1] = '\\0';
        }
        ''', "dst[size - 1] = '\\0';", "dst[size] = '\\0';"),
    ("array_contains", "swift", '''
        /// Returns true if the list contains the given user ID.
        func isMember(_ id: Int, of members: [Int]) -> Bool {
            return members.contains(id)
        }
        ''', "return members.contains(id)", "return !members.contains(id)"),
    ("array_contains", "rust", '''
        /// True if the banned list contains the given word.
        fn is_banned(word: &str, banned: &[&str]) -> bool {
            banned.iter().any(|b| *b == word)
        }
        ''', "banned.iter().any(|b| *b == word)", "banned.iter().all(|b| *b == word)"),
    ("vector_norm", "python", '''
        import math

        def norm(v):
            """Euclidean length of the vector v."""
            return math.sqrt(sum(x * x for x in v))
        ''', "math.sqrt(sum(x * x for x in v))", "math.sqrt(sum(x for x in v))"),
    ("dot_product", "python", '''
        def dot(a, b):
            """Dot product of two equal-length vectors."""
            return sum(x * y for x, y in zip(a, b))
        ''', "sum(x * y for x, y in zip(a, b))", "sum(x + y for x, y in zip(a, b))"),
    ("distance_2d", "javascript", '''
        // Straight-line distance between points p and q.
        function distance(p, q) {
          return Math.hypot(q.x - p.x, q.y - p.y);
        }
        ''', "Math.hypot(q.x - p.x, q.y - p.y)", "Math.hypot(q.x - p.x, q.x - p.y)"),
    ("initials", "python", '''
        def initials(full_name):
            """Return the uppercase initials, e.g. 'ada lovelace' -> 'AL'."""
            return "".join(part[0].upper() for part in full_name.split())
        ''', "part[0].upper()", "part[-1].upper()"),
    ("truncate_text", "python", '''
        def truncate(text, limit):
            """Shorten text to at most limit characters, adding '...' when cut."""
            if len(text) <= limit:
                return text
            return text[: limit - 3] + "..."
        ''', 'text[: limit - 3] + "..."', 'text[:limit] + "..."'),
    ("email_domain", "python", '''
        def email_domain(address):
            """Return the part of an email address after the @ sign."""
            return address.split("@", 1)[1]
        ''', 'address.split("@", 1)[1]', 'address.split("@", 1)[0]'),
    ("http_status", "python", '''
        def is_success(status):
            """True for HTTP 2xx success codes."""
            return 200 <= status < 300
        ''', "200 <= status < 300", "200 <= status <= 300"),
    ("http_status", "go", '''
        // IsClientError reports whether code is a 4xx status.
        func IsClientError(code int) bool {
            return code >= 400 && code < 500
        }
        ''', "code >= 400 && code < 500", "code >= 400 || code < 500"),
    ("timeout_units", "javascript", '''
        // Retry the request after two seconds.
        setTimeout(retryRequest, 2000);
        ''', "setTimeout(retryRequest, 2000);", "setTimeout(retryRequest, 2);"),
    ("sleep_units", "python", '''
        import time

        def wait_half_a_second():
            """Pause for 500 milliseconds."""
            time.sleep(0.5)
        ''', "time.sleep(0.5)", "time.sleep(500)"),
    ("stack_pop", "python", '''
        class Stack:
            """Last in, first out."""

            def __init__(self):
                self.items = []

            def push(self, x):
                self.items.append(x)

            def pop(self):
                return self.items.pop()
        ''', "return self.items.pop()", "return self.items.pop(0)"),
    ("queue_dequeue", "python", '''
        from collections import deque

        class Queue:
            """First in, first out."""

            def __init__(self):
                self.items = deque()

            def enqueue(self, x):
                self.items.append(x)

            def dequeue(self):
                return self.items.popleft()
        ''', "return self.items.popleft()", "return self.items.pop()"),
    ("password_mask", "python", '''
        def mask(card_number):
            """Show only the last four digits, masking the rest with '*'."""
            return "*" * (len(card_number) - 4) + card_number[-4:]
        ''', "card_number[-4:]", "card_number[:4]"),
    ("discount_cap", "python", '''
        def apply_coupon(price, coupon):
            """Subtract the coupon value, but never go below zero."""
            return max(price - coupon, 0)
        ''', "max(price - coupon, 0)", "min(price - coupon, 0)"),
    ("counter_reset", "javascript", '''
        // Reset the attempt counter after a successful login.
        function onLoginSuccess(session) {
          session.failedAttempts = 0;
        }
        ''', "session.failedAttempts = 0;", "session.failedAttempts += 1;"),
    ("lock_account", "python", '''
        MAX_FAILURES = 5

        def should_lock(failures):
            """Lock the account after five failed logins."""
            return failures >= MAX_FAILURES
        ''', "return failures >= MAX_FAILURES", "return failures >= MAX_FAILURES + 5"),
    ("percent_complete", "go", '''
        // Percent returns how much of the task is done, from 0 to 100.
        func Percent(done, total int) float64 {
            return float64(done) / float64(total) * 100
        }
        ''', "float64(done) / float64(total) * 100", "float64(total) / float64(done) * 100"),
    ("array_index_first", "lua", '''
        -- Return the first element of a Lua list (Lua tables start at index 1).
        local function first(list)
          return list[1]
        end
        ''', "return list[1]", "return list[0]"),
    ("nested_if", "python", '''
        def ticket_price(age):
            """Children under 12 pay 5, seniors 65 and over pay 7, everyone else pays 10."""
            if age < 12:
                return 5
            if age >= 65:
                return 7
            return 10
        ''', "if age >= 65:\n        return 7", "if age >= 65:\n        return 10"),
    ("grade_letter", "javascript", '''
        // 90 and above is an A, 80-89 a B, everything else a C.
        function grade(score) {
          if (score >= 90) return "A";
          if (score >= 80) return "B";
          return "C";
        }
        ''', 'if (score >= 80) return "B";', 'if (score >= 80) return "A";'),
    ("fizzbuzz", "python", '''
        def fizzbuzz(n):
            """'Fizz' for multiples of 3, 'Buzz' for 5, 'FizzBuzz' for both, else the number."""
            if n % 15 == 0:
                return "FizzBuzz"
            if n % 3 == 0:
                return "Fizz"
            if n % 5 == 0:
                return "Buzz"
            return str(n)
        ''', 'if n % 5 == 0:\n        return "Buzz"', 'if n % 5 == 0:\n        return "Fizz"'),
    ("celsius_table", "python", '''
        def freezing_days(temps):
            """Count the days whose temperature was below zero."""
            return sum(1 for t in temps if t < 0)
        ''', "if t < 0", "if t > 0"),
    ("string_contains_ci", "python", '''
        def mentions_refund(message):
            """True if the message mentions 'refund', in any capitalization."""
            return "refund" in message.lower()
        ''', '"refund" in message.lower()', '"refund" in message'),
    ("list_flatten", "python", '''
        def flatten(rows):
            """Concatenate a list of lists into one list."""
            return [x for row in rows for x in row]
        ''', "[x for row in rows for x in row]", "[row[0] for row in rows]"),
    ("is_sorted", "python", '''
        def is_sorted(xs):
            """True if xs is in non-decreasing order."""
            return all(xs[i] <= xs[i + 1] for i in range(len(xs) - 1))
        ''', "xs[i] <= xs[i + 1]", "xs[i] >= xs[i + 1]"),
    ("is_sorted", "rust", '''
        /// True if the slice is sorted in ascending order.
        fn is_sorted(xs: &[i32]) -> bool {
            xs.windows(2).all(|w| w[0] <= w[1])
        }
        ''', "xs.windows(2).all(|w| w[0] <= w[1])", "xs.windows(2).any(|w| w[0] <= w[1])"),
    ("capitalize_name", "php", '''
        <?php
        // Return the name with its first letter in upper case.
        function capitalizeName(string $name): string {
            return ucfirst($name);
        }
        ''', "return ucfirst($name);", "return lcfirst($name);"),
    ("php_sum", "php", '''
        <?php
        // Total price of all items in the cart.
        function cartTotal(array $items): float {
            $total = 0.0;
            foreach ($items as $item) {
                $total += $item['price'] * $item['qty'];
            }
            return $total;
        }
        ''', "$item['price'] * $item['qty']", "$item['price'] + $item['qty']"),
    ("kotlin_filter_adults", "kotlin", '''
        /** Returns only the people aged 18 or over. */
        fun adults(people: List<Person>): List<Person> =
            people.filter { it.age >= 18 }
        ''', "people.filter { it.age >= 18 }", "people.filter { it.age <= 18 }"),
    ("scala_double", "scala", '''
        // Double every number in the list.
        def doubled(xs: List[Int]): List[Int] = xs.map(_ * 2)
        ''', "xs.map(_ * 2)", "xs.map(_ + 2)"),
    ("haskell_length", "haskell", '''
        -- Count the elements of a list.
        myLength :: [a] -> Int
        myLength [] = 0
        myLength (_:xs) = 1 + myLength xs
        ''', "myLength [] = 0", "myLength [] = 1"),
    ("r_mean", "r", '''
        # Mean of the measurements, ignoring missing values.
        avg <- mean(measurements, na.rm = TRUE)
        ''', "na.rm = TRUE", "na.rm = FALSE"),
    ("matlab_range", "matlab", '''
        % Sum the integers from 1 to 100.
        total = sum(1:100);
        ''', "sum(1:100)", "sum(1:99)"),
    ("cpp_vector_sum", "cpp", '''
        // Returns the sum of all elements of v.
        int sum(const std::vector<int>& v) {
            return std::accumulate(v.begin(), v.end(), 0);
        }
        ''', "std::accumulate(v.begin(), v.end(), 0)", "std::accumulate(v.begin() + 1, v.end(), 0)"),
    ("cpp_max_element", "cpp", '''
        // Returns the largest score; scores is never empty.
        int best(const std::vector<int>& scores) {
            return *std::max_element(scores.begin(), scores.end());
        }
        ''', "std::max_element", "std::min_element"),
    ("java_string_equals", "java", '''
        /** True if the role is exactly "admin". */
        static boolean isAdmin(String role) {
            return "admin".equals(role);
        }
        ''', 'return "admin".equals(role);', 'return !"admin".equals(role);'),
    ("csharp_linq_count", "csharp", '''
        // Number of orders that have been shipped.
        int shipped = orders.Count(o => o.Status == OrderStatus.Shipped);
        ''', "o.Status == OrderStatus.Shipped", "o.Status != OrderStatus.Shipped"),
    ("swift_optional", "swift", '''
        /// The user's display name, falling back to their username.
        var displayName: String {
            return nickname ?? username
        }
        ''', "return nickname ?? username", "return username ?? nickname"),
    ("go_error_check", "go", '''
        // Load reads the config and stops on the first error.
        func Load(path string) (*Config, error) {
            data, err := os.ReadFile(path)
            if err != nil {
                return nil, err
            }
            return Parse(data)
        }
        ''', "if err != nil {", "if err == nil {"),
    ("rust_option_default", "rust", '''
        /// Port from the environment, or 8080 when unset.
        fn port(env: Option<u16>) -> u16 {
            env.unwrap_or(8080)
        }
        ''', "env.unwrap_or(8080)", "env.unwrap_or(0)"),
    ("js_async_await", "javascript", '''
        // Load the user profile and return its JSON body.
        async function loadProfile(id) {
          const response = await fetch(`/api/users/${id}`);
          return await response.json();
        }
        ''', "const response = await fetch(`/api/users/${id}`);", "const response = fetch(`/api/users/${id}`);"),
    ("js_strict_equality", "javascript", '''
        // True only when the input is the number zero.
        function isZero(x) {
          return x === 0;
        }
        ''', "return x === 0;", "return x == 0;"),
    ("python_default_arg", "python", '''
        def add_tag(tag, tags=None):
            """Add tag to a new list unless a list is given; calls never share state."""
            if tags is None:
                tags = []
            tags.append(tag)
            return tags
        ''', "def add_tag(tag, tags=None):\n    \"\"\"Add tag to a new list unless a list is given; calls never share state.\"\"\"\n    if tags is None:\n        tags = []", "def add_tag(tag, tags=[]):\n    \"\"\"Add tag to a new list unless a list is given; calls never share state.\"\"\""),
    ("python_integer_division", "python", '''
        def halves(n):
            """Split n items into two groups; the first gets the extra one when n is odd."""
            first = (n + 1) // 2
            return first, n - first
        ''', "first = (n + 1) // 2", "first = n // 2 + 1"),
    ("weekday_name", "python", '''
        DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

        def day_name(iso_weekday):
            """Name of an ISO weekday number, where Monday is 1 and Sunday is 7."""
            return DAYS[iso_weekday - 1]
        ''', "return DAYS[iso_weekday - 1]", "return DAYS[iso_weekday]"),
    ("month_days", "python", '''
        def days_in_february(year):
            """29 in leap years, otherwise 28."""
            leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            return 29 if leap else 28
        ''', "return 29 if leap else 28", "return 28 if leap else 29"),
    ("json_key", "python", '''
        import json

        def order_id(raw):
            """Return the 'order_id' field of a JSON order."""
            return json.loads(raw)["order_id"]
        ''', 'json.loads(raw)["order_id"]', 'json.loads(raw)["customer_id"]'),
    ("env_debug_flag", "python", '''
        import os

        # Debug mode is on only when DEBUG is set to "1".
        DEBUG = os.environ.get("DEBUG") == "1"
        ''', 'os.environ.get("DEBUG") == "1"', 'os.environ.get("DEBUG") != "1"'),
    ("shopping_cart_qty", "typescript", '''
        // Add one more unit of the product to the cart.
        function addOne(cart: Map<string, number>, sku: string): void {
          cart.set(sku, (cart.get(sku) ?? 0) + 1);
        }
        ''', "(cart.get(sku) ?? 0) + 1", "(cart.get(sku) ?? 0) - 1"),
    ("array_remove_item", "javascript", '''
        // Return a copy of the list without the item at position index.
        function removeAt(list, index) {
          return [...list.slice(0, index), ...list.slice(index + 1)];
        }
        ''', "...list.slice(index + 1)", "...list.slice(index)"),
    ("string_repeat", "python", '''
        def underline(title):
            """Return the title followed by a line of '=' of the same length."""
            return title + "\\n" + "=" * len(title)
        ''', '"=" * len(title)', '"=" * (len(title) - 1)'),
    ("url_query", "python", '''
        from urllib.parse import urlencode

        def search_url(term):
            """Build the search URL with the term safely encoded."""
            return "https://example.org/search?" + urlencode({"q": term})
        ''', 'urlencode({"q": term})', '"q=" + term'),
    ("bit_flag", "c", '''
        /* Returns nonzero if the READ permission bit (0x4) is set. */
        int can_read(unsigned mode) {
            return (mode & 0x4) != 0;
        }
        ''', "(mode & 0x4) != 0", "(mode | 0x4) != 0"),
    ("rounding_money", "python", '''
        def to_cents(amount):
            """Convert a euro amount to whole cents, rounding to the nearest cent."""
            return round(amount * 100)
        ''', "round(amount * 100)", "int(amount * 100)"),
    ("hash_map_count", "go", '''
        // WordFreq counts how many times each word occurs.
        func WordFreq(words []string) map[string]int {
            freq := make(map[string]int)
            for _, w := range words {
                freq[w]++
            }
            return freq
        }
        ''', "freq[w]++", "freq[w] = 1"),
    ("ruby_each_with_index", "ruby", '''
        # Print a numbered list starting at 1.
        items.each_with_index do |item, i|
          puts "#{i + 1}. #{item}"
        end
        ''', '"#{i + 1}. #{item}"', '"#{i}. #{item}"'),
    ("elixir_sum", "elixir", '''
        # Sum a list recursively.
        def sum([]), do: 0
        def sum([head | tail]), do: head + sum(tail)
        ''', "do: head + sum(tail)", "do: head + sum(head)"),
    ("powershell_files", "powershell", '''
        # List only the .txt files in the current folder.
        Get-ChildItem -Path . -Filter *.txt
        ''', "-Filter *.txt", "-Filter *.*"),
    ("makefile_clean", "make", '''
        # `make clean` removes the build directory only.
        clean:
        \trm -rf build/
        ''', "rm -rf build/", "rm -rf ./"),
    ("git_ignore", "gitignore", '''
        # Keep local secrets out of the repository.
        .env
        secrets/
        ''', ".env\nsecrets/", "!.env\nsecrets/"),
    ("nginx_redirect", "nginx", '''
        # Send all plain-HTTP visitors to HTTPS.
        server {
            listen 80;
            return 301 https://$host$request_uri;
        }
        ''', "return 301 https://$host$request_uri;", "return 301 http://$host$request_uri;"),
    ("terraform_bucket", "hcl", '''
        # A private bucket: no public read access.
        resource "aws_s3_bucket_acl" "logs" {
          bucket = aws_s3_bucket.logs.id
          acl    = "private"
        }
        ''', 'acl    = "private"', 'acl    = "public-read"'),
    ("k8s_memory", "yaml", '''
        # Limit the worker to 512 MiB of memory.
        resources:
          limits:
            memory: "512Mi"
        ''', 'memory: "512Mi"', 'memory: "512Gi"'),
    ("python_range_step", "python", '''
        def odd_numbers_below(n):
            """All odd numbers from 1 up to (not including) n."""
            return list(range(1, n, 2))
        ''', "range(1, n, 2)", "range(0, n, 2)"),
    ("string_compare_ignore_case", "csharp", '''
        // True if both email addresses are the same, ignoring case.
        static bool SameEmail(string a, string b) =>
            string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        ''', "StringComparison.OrdinalIgnoreCase", "StringComparison.Ordinal"),
    ("typescript_optional_chain", "typescript", '''
        // City of the user's address, or undefined when there is no address.
        function city(user: User): string | undefined {
          return user.address?.city;
        }
        ''', "return user.address?.city;", "return user.city;"),
    ("sql_null_check", "sql", '''
        -- Customers who have never placed an order.
        SELECT c.name FROM customers c
        LEFT JOIN orders o ON o.customer_id = c.id
        WHERE o.id IS NULL;
        ''', "WHERE o.id IS NULL;", "WHERE o.id IS NOT NULL;"),
    ("sql_average_price", "sql", '''
        -- Average price of products in the 'books' category.
        SELECT AVG(price) FROM products WHERE category = 'books';
        ''', "SELECT AVG(price)", "SELECT SUM(price)"),
    ("sql_distinct_cities", "sql", '''
        -- How many different cities our customers live in.
        SELECT COUNT(DISTINCT city) FROM customers;
        ''', "COUNT(DISTINCT city)", "COUNT(city)"),
    ("shopping_cart_class", "python", '''
        class Cart:
            """A shopping cart. Prices are in cents; a coupon takes a percentage off the subtotal."""

            def __init__(self):
                self.items = {}  # sku -> (price_cents, quantity)
                self.coupon_percent = 0

            def add(self, sku, price_cents, quantity=1):
                _, current = self.items.get(sku, (price_cents, 0))
                self.items[sku] = (price_cents, current + quantity)

            def apply_coupon(self, percent):
                self.coupon_percent = percent

            def total(self):
                subtotal = sum(price * qty for price, qty in self.items.values())
                return subtotal * (100 - self.coupon_percent) // 100
        ''', "subtotal * (100 - self.coupon_percent) // 100", "subtotal * self.coupon_percent // 100"),
    ("rate_limiter", "go", '''
        // Limiter allows at most Max requests per client in each one-minute window.
        type Limiter struct {
            Max    int
            counts map[string]int
            window time.Time
        }

        func (l *Limiter) Allow(client string, now time.Time) bool {
            if now.Sub(l.window) >= time.Minute {
                l.window = now
                l.counts = map[string]int{}
            }
            if l.counts[client] >= l.Max {
                return false
            }
            l.counts[client]++
            return true
        }
        ''', "if l.counts[client] >= l.Max {", "if l.counts[client] > l.Max {"),
    ("csv_parser", "typescript", '''
        // Parse a simple CSV (no quoted fields): the first line is the header,
        // every other non-empty line becomes one record keyed by the header names.
        export function parseCsv(text: string): Record<string, string>[] {
          const lines = text.split("\\n").filter((line) => line.trim() !== "");
          const header = lines[0].split(",");
          return lines.slice(1).map((line) => {
            const cells = line.split(",");
            const record: Record<string, string> = {};
            header.forEach((name, i) => {
              record[name] = cells[i];
            });
            return record;
          });
        }
        ''', "return lines.slice(1).map((line) => {", "return lines.map((line) => {"),
    ("bank_account", "java", '''
        /** A bank account whose balance may never go below zero. */
        public class Account {
            private long balanceCents;

            public void deposit(long cents) {
                if (cents <= 0) throw new IllegalArgumentException("deposit must be positive");
                balanceCents += cents;
            }

            public void withdraw(long cents) {
                if (cents <= 0) throw new IllegalArgumentException("withdrawal must be positive");
                if (cents > balanceCents) throw new IllegalStateException("insufficient funds");
                balanceCents -= cents;
            }

            public long balance() {
                return balanceCents;
            }
        }
        ''', "if (cents > balanceCents) throw new IllegalStateException(\"insufficient funds\");", "if (cents > balanceCents + 10000) throw new IllegalStateException(\"insufficient funds\");"),
    ("moving_average", "rust", '''
        /// Returns the moving averages of `values` over windows of `size` consecutive elements.
        /// For n values there are n - size + 1 windows.
        fn moving_average(values: &[f64], size: usize) -> Vec<f64> {
            let mut out = Vec::new();
            for start in 0..=values.len() - size {
                let window = &values[start..start + size];
                out.push(window.iter().sum::<f64>() / size as f64);
            }
            out
        }
        ''', "for start in 0..=values.len() - size {", "for start in 0..values.len() - size {"),
    ("sql_update_one", "sql", '''
        -- Mark order 1042, and only that order, as shipped.
        UPDATE orders SET status = 'shipped' WHERE id = 1042;
        ''', "WHERE id = 1042;", "WHERE id <> 1042;"),
]


def dedent(code: str) -> str:
    return textwrap.dedent(code).strip("\n") + "\n"


def apply_bug(code: str, old: str, new: str, where: str) -> str:
    if code.count(old) != 1:
        raise ValueError(f"{where}: {old!r} occurs {code.count(old)} times")
    return code.replace(old, new)


def threshold_candidates(rng) -> list[Candidate]:
    out = []
    languages = sorted(THRESHOLD_TEMPLATES)
    for name, param, intent, op, const, bad_op in THRESHOLDS:
        for language in rng.sample(languages, 3):
            p = camel(param) if language in ("javascript", "java", "kotlin", "swift", "csharp") else param
            slots = dict(name=name, camel=camel(name), pascal=pascal(name), param=p, intent=intent, const=const)
            good = THRESHOLD_TEMPLATES[language].format(op=op, **slots)
            bad = THRESHOLD_TEMPLATES[language].format(op=bad_op, **slots)
            out.append(Candidate(positive=bad.rstrip("\n"), negative=good.rstrip("\n"), primary=f"threshold:{name}", secondary=(f"language:{language}",)))
    return out


def formula_candidates(rng) -> list[Candidate]:
    out = []
    languages = sorted(FORMULA_TEMPLATES)
    for name, params, intent, py, cl, bad_py, bad_cl in FORMULAS:
        for language in rng.sample(languages, 3):
            template, sep, param_form = FORMULA_TEMPLATES[language]
            names = [camel(p) if language in ("javascript", "java", "typescript", "csharp") else p for p in params]
            args = sep.join(param_form.format(p=p) for p in names)
            if language == "go":
                args = ", ".join(names)
            good_expr = py if language == "python" else c_like_names(cl, params, language)
            bad_expr = bad_py if language == "python" else c_like_names(bad_cl, params, language)
            slots = dict(name=name, camel=camel(name), pascal=pascal(name), intent=intent, args=args)
            out.append(Candidate(
                positive=template.format(expr=bad_expr, **slots).rstrip("\n"),
                negative=template.format(expr=good_expr, **slots).rstrip("\n"),
                primary=f"formula:{name}", secondary=(f"language:{language}",),
            ))
    return out


def snippet_candidates() -> list[Candidate]:
    out = []
    for concept, language, code, old, new in SNIPPETS:
        good = dedent(code)
        bad = apply_bug(good, old, new, f"{concept}/{language}")
        out.append(Candidate(positive=bad.rstrip("\n"), negative=good.rstrip("\n"), primary=f"snippet:{concept}", secondary=()))
    return out


def candidates(rng, held) -> list[Candidate]:
    return threshold_candidates(rng) + formula_candidates(rng) + snippet_candidates()
