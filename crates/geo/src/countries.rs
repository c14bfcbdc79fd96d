//! Hand-written English aliases and demonyms for countries (keyed by ISO 3166-1
//! alpha-3), and AP-style US state abbreviations. Takes nothing, gives small static
//! tables used when building the gazetteer (aliases) and when reading country
//! context from text (demonyms: "Syrian" is a country reference, never a place).

/// (ISO3, extra English names, demonyms / adjectives).
pub const COUNTRY_TERMS: &[(&str, &[&str], &[&str])] = &[
    ("AFG", &[], &["Afghan", "Afghans"]),
    ("ALB", &[], &["Albanian", "Albanians"]),
    ("DZA", &[], &["Algerian", "Algerians"]),
    ("AGO", &[], &["Angolan", "Angolans"]),
    ("ARG", &[], &["Argentine", "Argentinian", "Argentines"]),
    ("ARM", &[], &["Armenian", "Armenians"]),
    ("AUS", &[], &["Australian", "Australians"]),
    ("AUT", &[], &["Austrian", "Austrians"]),
    ("AZE", &[], &["Azerbaijani", "Azeri", "Azerbaijanis"]),
    ("BHR", &[], &["Bahraini", "Bahrainis"]),
    ("BGD", &[], &["Bangladeshi", "Bangladeshis"]),
    (
        "BLR",
        &["Belarus", "Byelorussia"],
        &["Belarusian", "Belarusians"],
    ),
    ("BEL", &[], &["Belgian", "Belgians"]),
    ("BEN", &[], &["Beninese"]),
    ("BOL", &[], &["Bolivian", "Bolivians"]),
    (
        "BIH",
        &["Bosnia", "Bosnia-Herzegovina"],
        &["Bosnian", "Bosnians"],
    ),
    ("BRA", &[], &["Brazilian", "Brazilians"]),
    ("BGR", &[], &["Bulgarian", "Bulgarians"]),
    ("BFA", &[], &["Burkinabe", "Burkinabè"]),
    ("BDI", &[], &["Burundian", "Burundians"]),
    ("KHM", &[], &["Cambodian", "Cambodians"]),
    ("CMR", &[], &["Cameroonian", "Cameroonians"]),
    ("CAN", &[], &["Canadian", "Canadians"]),
    ("CAF", &["CAR"], &["Central African"]),
    ("TCD", &[], &["Chadian", "Chadians"]),
    ("CHL", &[], &["Chilean", "Chileans"]),
    (
        "CHN",
        &["PRC", "People's Republic of China", "Mainland China"],
        &["Chinese"],
    ),
    ("COL", &[], &["Colombian", "Colombians"]),
    (
        "COD",
        &[
            "DR Congo",
            "DRC",
            "Congo-Kinshasa",
            "Democratic Republic of Congo",
            "Zaire",
        ],
        &["Congolese"],
    ),
    ("COG", &["Congo-Brazzaville", "Congo Republic"], &[]),
    (
        "CIV",
        &["Cote d'Ivoire", "Côte d'Ivoire"],
        &["Ivorian", "Ivorians"],
    ),
    ("HRV", &[], &["Croatian", "Croat", "Croats"]),
    ("CUB", &[], &["Cuban", "Cubans"]),
    ("CYP", &[], &["Cypriot", "Cypriots"]),
    ("CZE", &["Czech Republic"], &["Czech", "Czechs"]),
    ("DNK", &[], &["Danish", "Dane", "Danes"]),
    ("DJI", &[], &["Djiboutian"]),
    ("ECU", &[], &["Ecuadorian", "Ecuadorians"]),
    ("EGY", &[], &["Egyptian", "Egyptians"]),
    ("SLV", &[], &["Salvadoran", "Salvadorans"]),
    ("ERI", &[], &["Eritrean", "Eritreans"]),
    ("EST", &[], &["Estonian", "Estonians"]),
    ("ETH", &[], &["Ethiopian", "Ethiopians"]),
    ("FIN", &[], &["Finnish", "Finn", "Finns"]),
    ("FRA", &[], &["French"]),
    ("GAB", &[], &["Gabonese"]),
    ("GMB", &["The Gambia"], &["Gambian", "Gambians"]),
    ("GEO", &[], &["Georgian", "Georgians"]),
    ("DEU", &[], &["German", "Germans"]),
    ("GHA", &[], &["Ghanaian", "Ghanaians"]),
    ("GRC", &[], &["Greek", "Greeks"]),
    ("GTM", &[], &["Guatemalan", "Guatemalans"]),
    ("GIN", &[], &["Guinean", "Guineans"]),
    ("HTI", &[], &["Haitian", "Haitians"]),
    ("HND", &[], &["Honduran", "Hondurans"]),
    ("HUN", &[], &["Hungarian", "Hungarians"]),
    ("IND", &[], &["Indian", "Indians"]),
    ("IDN", &[], &["Indonesian", "Indonesians"]),
    (
        "IRN",
        &["Persia", "Islamic Republic of Iran"],
        &["Iranian", "Iranians", "Persian"],
    ),
    ("IRQ", &[], &["Iraqi", "Iraqis"]),
    ("IRL", &["Republic of Ireland", "Eire"], &["Irish"]),
    ("ISR", &[], &["Israeli", "Israelis"]),
    ("ITA", &[], &["Italian", "Italians"]),
    ("JAM", &[], &["Jamaican", "Jamaicans"]),
    ("JPN", &[], &["Japanese"]),
    ("JOR", &[], &["Jordanian", "Jordanians"]),
    ("KAZ", &[], &["Kazakh", "Kazakhstani", "Kazakhs"]),
    ("KEN", &[], &["Kenyan", "Kenyans"]),
    ("KWT", &[], &["Kuwaiti", "Kuwaitis"]),
    ("KGZ", &[], &["Kyrgyz"]),
    ("LAO", &[], &["Lao", "Laotian", "Laotians"]),
    ("LVA", &[], &["Latvian", "Latvians"]),
    ("LBN", &[], &["Lebanese"]),
    ("LBR", &[], &["Liberian", "Liberians"]),
    ("LBY", &[], &["Libyan", "Libyans"]),
    ("LTU", &[], &["Lithuanian", "Lithuanians"]),
    ("MDG", &[], &["Malagasy"]),
    ("MWI", &[], &["Malawian", "Malawians"]),
    ("MYS", &[], &["Malaysian", "Malaysians"]),
    ("MLI", &[], &["Malian", "Malians"]),
    ("MRT", &[], &["Mauritanian", "Mauritanians"]),
    ("MEX", &[], &["Mexican", "Mexicans"]),
    ("MDA", &["Moldavia"], &["Moldovan", "Moldovans"]),
    ("MNG", &[], &["Mongolian", "Mongolians"]),
    ("MAR", &[], &["Moroccan", "Moroccans"]),
    ("MOZ", &[], &["Mozambican", "Mozambicans"]),
    ("MMR", &["Burma"], &["Burmese", "Myanmarese"]),
    ("NPL", &[], &["Nepali", "Nepalese"]),
    ("NLD", &["Holland", "The Netherlands"], &["Dutch"]),
    ("NZL", &[], &["New Zealander", "New Zealanders"]),
    ("NIC", &[], &["Nicaraguan", "Nicaraguans"]),
    ("NER", &[], &["Nigerien", "Nigeriens"]),
    ("NGA", &[], &["Nigerian", "Nigerians"]),
    (
        "PRK",
        &["DPRK", "Democratic People's Republic of Korea"],
        &["North Korean", "North Koreans"],
    ),
    ("NOR", &[], &["Norwegian", "Norwegians"]),
    ("OMN", &[], &["Omani", "Omanis"]),
    ("PAK", &[], &["Pakistani", "Pakistanis"]),
    (
        "PSE",
        &[
            "Palestine",
            "Palestinian Territories",
            "Occupied Palestinian Territories",
            "West Bank and Gaza",
        ],
        &["Palestinian", "Palestinians"],
    ),
    ("PAN", &[], &["Panamanian", "Panamanians"]),
    ("PRY", &[], &["Paraguayan", "Paraguayans"]),
    ("PER", &[], &["Peruvian", "Peruvians"]),
    ("PHL", &[], &["Filipino", "Filipinos", "Philippine"]),
    ("POL", &[], &["Polish", "Pole", "Poles"]),
    ("PRT", &[], &["Portuguese"]),
    ("QAT", &[], &["Qatari", "Qataris"]),
    ("ROU", &[], &["Romanian", "Romanians"]),
    ("RUS", &["Russian Federation"], &["Russian", "Russians"]),
    ("RWA", &[], &["Rwandan", "Rwandans"]),
    ("SAU", &["KSA"], &["Saudi", "Saudis", "Saudi Arabian"]),
    ("SEN", &[], &["Senegalese"]),
    ("SRB", &[], &["Serbian", "Serb", "Serbs"]),
    ("SLE", &[], &["Sierra Leonean"]),
    ("SGP", &[], &["Singaporean", "Singaporeans"]),
    ("SVK", &[], &["Slovak", "Slovaks"]),
    ("SVN", &[], &["Slovenian", "Slovene"]),
    ("SOM", &[], &["Somali", "Somalis"]),
    ("ZAF", &[], &["South African", "South Africans"]),
    (
        "KOR",
        &["Republic of Korea"],
        &["South Korean", "South Koreans", "Korean", "Koreans"],
    ),
    ("SSD", &[], &["South Sudanese"]),
    ("ESP", &[], &["Spanish", "Spaniard", "Spaniards"]),
    ("LKA", &[], &["Sri Lankan", "Sri Lankans"]),
    ("SDN", &[], &["Sudanese"]),
    ("SWE", &[], &["Swedish", "Swede", "Swedes"]),
    ("CHE", &[], &["Swiss"]),
    ("SYR", &["Syrian Arab Republic"], &["Syrian", "Syrians"]),
    ("TWN", &[], &["Taiwanese"]),
    ("TJK", &[], &["Tajik", "Tajiks"]),
    ("TZA", &[], &["Tanzanian", "Tanzanians"]),
    ("THA", &[], &["Thai"]),
    ("TGO", &[], &["Togolese"]),
    ("TUN", &[], &["Tunisian", "Tunisians"]),
    (
        "TUR",
        &["Turkiye", "Türkiye"],
        &["Turkish", "Turk", "Turks"],
    ),
    ("TKM", &[], &["Turkmen"]),
    ("UGA", &[], &["Ugandan", "Ugandans"]),
    ("UKR", &["The Ukraine"], &["Ukrainian", "Ukrainians"]),
    ("ARE", &["UAE", "Emirates"], &["Emirati", "Emiratis"]),
    (
        "GBR",
        &["Britain", "Great Britain", "UK", "U.K."],
        &[
            "British", "Briton", "Britons", "English", "Scottish", "Welsh",
        ],
    ),
    (
        "USA",
        &[
            "US",
            "U.S.",
            "USA",
            "U.S.A.",
            "America",
            "United States of America",
        ],
        &["American", "Americans"],
    ),
    ("URY", &[], &["Uruguayan", "Uruguayans"]),
    ("UZB", &[], &["Uzbek", "Uzbeks"]),
    ("VAT", &["Holy See", "Vatican City"], &[]),
    ("VEN", &[], &["Venezuelan", "Venezuelans"]),
    ("VNM", &["Viet Nam"], &["Vietnamese"]),
    ("YEM", &[], &["Yemeni", "Yemenis"]),
    ("ZMB", &[], &["Zambian", "Zambians"]),
    ("ZWE", &[], &["Zimbabwean", "Zimbabweans"]),
];

/// Continents: (GeoNames id, name, lat, lon, extra names).
pub const CONTINENTS: &[(u32, &str, f32, f32, &[&str])] = &[
    (6255146, "Africa", 7.1881, 21.09375, &[]),
    (6255147, "Asia", 29.84064, 89.29688, &[]),
    (6255148, "Europe", 48.69096, 9.14062, &[]),
    (6255149, "North America", 46.07323, -100.54688, &[]),
    (
        6255150,
        "South America",
        -14.60485,
        -57.65625,
        &["Latin America"],
    ),
    (6255151, "Oceania", -18.31281, 138.51562, &[]),
    (6255152, "Antarctica", -78.15856, 16.40626, &[]),
];

/// AP-style US state abbreviations ("Alexandria, Va.") → admin1 code.
pub const US_STATE_ABBR: &[(&str, &str)] = &[
    ("Ala", "AL"),
    ("Ariz", "AZ"),
    ("Ark", "AR"),
    ("Calif", "CA"),
    ("Colo", "CO"),
    ("Conn", "CT"),
    ("Del", "DE"),
    ("Fla", "FL"),
    ("Ga", "GA"),
    ("Ill", "IL"),
    ("Ind", "IN"),
    ("Kan", "KS"),
    ("Kans", "KS"),
    ("Ky", "KY"),
    ("La", "LA"),
    ("Md", "MD"),
    ("Mass", "MA"),
    ("Mich", "MI"),
    ("Minn", "MN"),
    ("Miss", "MS"),
    ("Mo", "MO"),
    ("Mont", "MT"),
    ("Neb", "NE"),
    ("Nev", "NV"),
    ("N.H", "NH"),
    ("N.J", "NJ"),
    ("N.M", "NM"),
    ("N.Y", "NY"),
    ("N.C", "NC"),
    ("N.D", "ND"),
    ("Okla", "OK"),
    ("Ore", "OR"),
    ("Pa", "PA"),
    ("R.I", "RI"),
    ("S.C", "SC"),
    ("S.D", "SD"),
    ("Tenn", "TN"),
    ("Vt", "VT"),
    ("Va", "VA"),
    ("Wash", "WA"),
    ("W.Va", "WV"),
    ("Wis", "WI"),
    ("Wyo", "WY"),
    ("D.C", "DC"),
    ("W. Va", "WV"),
    ("N. Y", "NY"),
];

/// Two-letter US postal codes (accepted only right after "Place, ").
#[rustfmt::skip]
pub const US_POSTAL: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
];

/// Country ISO3 for a demonym / adjective ("Syrian" → "SYR"), case-sensitive on
/// the first letter (demonyms are capitalised in English).
pub fn demonym_country(word: &str) -> Option<&'static str> {
    COUNTRY_TERMS
        .iter()
        .find(|(_, _, dems)| dems.contains(&word))
        .map(|(iso3, _, _)| *iso3)
}

/// Demonyms (with their ISO3) by their first two bytes, in `COUNTRY_TERMS` order.
type DemonymIndex = crate::detect::FastMap<[u8; 2], Vec<(&'static str, &'static str)>>;

fn demonym_index() -> &'static DemonymIndex {
    static IX: std::sync::OnceLock<DemonymIndex> = std::sync::OnceLock::new();
    IX.get_or_init(|| {
        let mut m = DemonymIndex::default();
        for (iso3, _, dems) in COUNTRY_TERMS {
            for d in dems.iter() {
                if let Some(k) = d.as_bytes().get(..2) {
                    m.entry([k[0], k[1]]).or_default().push((*d, *iso3));
                }
            }
        }
        m
    })
}

/// Longest demonym starting at `text` (handles "South Korean", "Saudi Arabian").
pub fn demonym_prefix(text: &str) -> Option<(usize, &'static str)> {
    let b = text.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for (d, iso3) in demonym_index().get(&[b[0], b[1]])?.iter() {
        if text.starts_with(d)
            && text[d.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
            && best.is_none_or(|b| d.len() > b.0)
        {
            best = Some((d.len(), iso3));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    #[test]
    fn demonyms() {
        assert_eq!(super::demonym_country("Syrian"), Some("SYR"));
        assert_eq!(super::demonym_country("Damascus"), None);
        assert_eq!(
            super::demonym_prefix("South Korean troops"),
            Some((12, "KOR"))
        );
        assert_eq!(super::demonym_prefix("Syrians fled"), Some((7, "SYR")));
        assert_eq!(super::demonym_prefix("Syriac"), None);
    }
}
