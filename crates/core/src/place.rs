//! Places: gazetteer entries and their mentions in the text.

use crate::Span;
use serde::{Deserialize, Serialize};

/// ACLED-style geo-precision: 1 = town, 2 = region near a town, 3 = province / country.
pub type Precision = u8;

/// A resolved gazetteer entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Place {
    pub geonames_id: u64,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames feature class and code ("P"/"PPLC", "A"/"ADM1", "A"/"PCLI").
    pub feature_class: String,
    pub feature_code: String,
    /// ISO 3166-1 alpha-3.
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    #[serde(default)]
    pub population: u64,
    pub precision: Precision,
}

impl Place {
    /// Great-circle distance in km.
    pub fn distance_km(&self, other: &Place) -> f64 {
        haversine_km(self.lat, self.lon, other.lat, other.lon)
    }
}

/// Great-circle distance between two lat/lon points, in km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().asin()
}

/// A toponym in the text and what it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    pub span: Span,
    pub sentence: usize,
    pub text: String,
    pub place: Place,
    /// Resolution confidence in [0, 1].
    pub score: f32,
}

#[cfg(test)]
mod tests {
    #[test]
    fn haversine_damascus_beirut() {
        let d = super::haversine_km(33.5102, 36.2913, 33.8938, 35.5018);
        assert!((d - 85.0).abs() < 5.0, "{d}");
    }
}
