//! Closed-class words several stages need (so each does not keep its own copy).

/// Weekday names, capitalised.
pub const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Month names, capitalised.
pub const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Capitalised calendar words: never a name or a place.
pub fn is_calendar_word(w: &str) -> bool {
    WEEKDAYS.contains(&w) || MONTHS.contains(&w)
}
