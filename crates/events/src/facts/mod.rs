//! Facts: dates resolved against the publication date, casualty counts, quotes.
