//! Public holidays the search leaves out: the rep's country's and the
//! prospect's. The holidays come from `holidays-rs` (rules, so every year
//! is covered); a side's country is the org profile's `country` (ISO 3166
//! alpha-2, the rep's side only) or else its time zone's country in the tz
//! database's `zone.tab` (public domain, copied from tzdata 2025b).

use holidays_rs::{Calendar, Country};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The tz database's zone-to-country table.
const ZONE_TAB: &str = include_str!("zone.tab");

/// The country (ISO 3166 alpha-2) of an IANA zone, when `zone.tab` names one.
pub fn zone_country(zone: &str) -> Option<&'static str> {
    ZONE_TAB
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            let mut cols = l.split('\t');
            let code = cols.next()?;
            let name = cols.nth(1)?;
            (name == zone).then_some(code)
        })
}

/// The holiday rules of a country by its ISO 3166 alpha-2 code, when
/// `holidays-rs` has them.
pub fn country(code: &str) -> Option<Country> {
    use Country::*;
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "ID" => Indonesia,
        "US" => UnitedStates,
        "GB" | "UK" => UnitedKingdom,
        "DE" => Germany,
        "FR" => France,
        "NL" => Netherlands,
        "ES" => Spain,
        "IT" => Italy,
        "PT" => Portugal,
        "BE" => Belgium,
        "AT" => Austria,
        "PL" => Poland,
        "SE" => Sweden,
        "NO" => Norway,
        "DK" => Denmark,
        "FI" => Finland,
        "IE" => Ireland,
        "CA" => Canada,
        "NZ" => NewZealand,
        "AU" => Australia,
        "CZ" => Czechia,
        "SK" => Slovakia,
        "HR" => Croatia,
        "SI" => Slovenia,
        "EE" => Estonia,
        "LT" => Lithuania,
        "LV" => Latvia,
        "LU" => Luxembourg,
        "IS" => Iceland,
        "CY" => Cyprus,
        "MT" => Malta,
        "GR" => Greece,
        "RO" => Romania,
        "MX" => Mexico,
        "BR" => Brazil,
        "SV" => ElSalvador,
        "NI" => Nicaragua,
        "PE" => Peru,
        "UY" => Uruguay,
        "AD" => Andorra,
        "CV" => CaboVerde,
        "FO" => FaroeIslands,
        "GL" => Greenland,
        "CH" => Switzerland,
        "LI" => Liechtenstein,
        "MC" => Monaco,
        "PA" => Panama,
        "JM" => Jamaica,
        "HT" => Haiti,
        "LR" => Liberia,
        "LS" => Lesotho,
        "MZ" => Mozambique,
        "NA" => Namibia,
        "BW" => Botswana,
        "MW" => Malawi,
        "CG" => Congo,
        "CD" => DrCongo,
        "GQ" => EquatorialGuinea,
        "ST" => SaoTomeAndPrincipe,
        "LC" => SaintLucia,
        "AW" => Aruba,
        "CW" => Curacao,
        "SX" => SintMaarten,
        "BQ" => CaribbeanNetherlands,
        "AX" => AlandIslands,
        "SJ" => SvalbardAndJanMayen,
        "GF" => FrenchGuiana,
        "GP" => Guadeloupe,
        "MQ" => Martinique,
        "RE" => Reunion,
        "YT" => Mayotte,
        "BL" => SaintBarthelemy,
        "MF" => SaintMartin,
        "PM" => SaintPierreAndMiquelon,
        "NC" => NewCaledonia,
        "PF" => FrenchPolynesia,
        "WF" => WallisAndFutuna,
        "TF" => FrenchSouthernTerritories,
        "WS" => Samoa,
        "TK" => Tokelau,
        "NU" => Niue,
        "NR" => Nauru,
        "PN" => PitcairnIslands,
        "FK" => FalklandIslands,
        "NF" => NorfolkIsland,
        "AS" => AmericanSamoa,
        "GU" => Guam,
        "FM" => Micronesia,
        "MP" => NorthernMarianaIslands,
        "PW" => Palau,
        "UM" => UnitedStatesMinorOutlyingIslands,
        "VI" => UnitedStatesVirginIslands,
        _ => return None,
    })
}

/// One side's holidays: its zone (a holiday is a local date) and country.
pub struct Side {
    tz: TimeZone,
    country: Country,
}

/// The holidays of both sides.
#[derive(Default)]
pub struct Holidays {
    sides: Vec<Side>,
}

/// A day a side has off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOff {
    pub date: Date,
    pub name: &'static str,
    pub country: &'static str,
}

impl Holidays {
    /// No holidays on either side.
    pub const fn none() -> Holidays {
        Holidays { sides: Vec::new() }
    }

    /// The holidays of each side that has a country: `(zone, ISO code)`.
    /// A code `holidays-rs` does not know is returned, to be noted.
    pub fn of(sides: &[(&TimeZone, &str)]) -> (Holidays, Vec<String>) {
        let mut h = Holidays::default();
        let mut unknown = Vec::new();
        for (tz, code) in sides {
            match country(code) {
                Some(c) if !h.sides.iter().any(|s| s.country == c && s.tz == **tz) => {
                    h.sides.push(Side {
                        tz: (*tz).clone(),
                        country: c,
                    })
                }
                Some(_) => {}
                None => unknown.push(code.to_ascii_uppercase()),
            }
        }
        (h, unknown)
    }

    /// The holiday, on either side, of the local day `at` falls on.
    pub fn at(&self, at: Timestamp) -> Option<DayOff> {
        self.sides.iter().find_map(|s| {
            let date = at.to_zoned(s.tz.clone()).date();
            let name = Calendar::new(s.country).holiday_name(civil(date)?)?;
            Some(DayOff {
                date,
                name,
                country: s.country.name(),
            })
        })
    }
}

fn civil(d: Date) -> Option<holidays_rs::Date> {
    holidays_rs::Date::new(
        i32::from(d.year()),
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_name_their_countries() {
        assert_eq!(zone_country("America/New_York"), Some("US"));
        assert_eq!(zone_country("Europe/London"), Some("GB"));
        assert_eq!(zone_country("Europe/Madrid"), Some("ES"));
        assert_eq!(zone_country("UTC"), None);
        assert_eq!(zone_country("Mars/Olympus"), None);
    }

    #[test]
    fn thanksgiving_is_off_in_new_york_not_in_london() {
        let ny = TimeZone::get("America/New_York").expect("zone");
        let london = TimeZone::get("Europe/London").expect("zone");
        // Thursday 26 November 2026, 15:00 UTC.
        let t: Timestamp = "2026-11-26T15:00:00Z".parse().expect("instant");
        let (us, unknown) = Holidays::of(&[(&ny, "US")]);
        assert!(unknown.is_empty());
        let off = us.at(t).expect("Thanksgiving");
        assert_eq!(off.name, "Thanksgiving Day");
        assert_eq!(off.country, "United States");
        let (gb, _) = Holidays::of(&[(&london, "GB")]);
        assert_eq!(gb.at(t), None);
        // Boxing Day 2026 is a Saturday: England's holiday moves to Monday 28th.
        let monday: Timestamp = "2026-12-28T12:00:00Z".parse().expect("instant");
        assert!(gb.at(monday).is_some());
        let (_, unknown) = Holidays::of(&[(&london, "zz")]);
        assert_eq!(unknown, ["ZZ"]);
    }
}
