//! Energy and money as integers, so that sums over a fleet and a 30-day month never drift:
//! energy in milliwatt-hours, the price in billionths of the currency per kWh, and costs in
//! 10^-15 of the currency (a mWh at a billionth per kWh). Rounding happens once, half-up,
//! when a figure is shown (`Money::cents`, `Energy::kwh`), never in between.

use std::ops::{Add, AddAssign, Mul};

/// Milliwatt-hours in a kWh.
const MWH_PER_KWH: u128 = 1_000_000;
/// Costs are kept in 10^-15 of the currency; a hundredth (a penny, a cent) is 10^13 of them.
const PER_CENT: u128 = 10_000_000_000_000;
/// The price keeps nine decimals.
const PRICE_DECIMALS: usize = 9;

/// `value / unit`, rounded half-up (…5 goes up).
pub(crate) fn round_half_up(value: u128, unit: u128) -> u128 {
    (value + unit / 2) / unit.max(1)
}

/// `units` hundredths (or other `places`) as a decimal: `decimal(1188, 2)` is `11.88`.
pub(crate) fn decimal(units: u128, places: u32) -> String {
    let scale = 10u128.pow(places);
    match places {
        0 => units.to_string(),
        p => format!(
            "{}.{:0width$}",
            units / scale,
            units % scale,
            width = p as usize
        ),
    }
}

/// A price per kWh, exact: billionths of the currency per kWh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Price {
    nanos_per_kwh: u64,
}

impl Price {
    /// From fleet.yaml's number: its shortest decimal form (the text written, `0.24`) read as
    /// an exact decimal, so `0.24` is 24 hundredths and not the binary number nearest it.
    /// None for a negative or non-finite number.
    pub(crate) fn from_number(price: f64) -> Option<Self> {
        if !price.is_finite() || price < 0.0 {
            return None;
        }
        // Rust writes floats without an exponent, in the fewest digits that read back.
        Self::parse(&format!("{price}"))
    }

    /// A plain decimal (`0.24`, `12`, `.5`); digits past the ninth decimal round half-up.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
            return None;
        }
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let kept = &fraction[..fraction.len().min(PRICE_DECIMALS)];
        let mut nanos: u64 = format!("{kept:0<PRICE_DECIMALS$}").parse().ok()?;
        if fraction
            .as_bytes()
            .get(PRICE_DECIMALS)
            .is_some_and(|&d| d >= b'5')
        {
            nanos += 1;
        }
        let nanos_per_kwh = whole.checked_mul(1_000_000_000)?.checked_add(nanos)?;
        Some(Self { nanos_per_kwh })
    }

    /// The price as written: `0.24`, without trailing zeros.
    pub(crate) fn text(self) -> String {
        let text = decimal(u128::from(self.nanos_per_kwh), PRICE_DECIMALS as u32);
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }

    /// As a number, for JSON and /metrics.
    pub(crate) fn number(self) -> f64 {
        self.text().parse().unwrap_or_default()
    }

    /// What `energy` costs at this price, exactly.
    pub(crate) fn cost(self, energy: Energy) -> Money {
        Money(u128::from(energy.mwh) * u128::from(self.nanos_per_kwh))
    }
}

/// An amount of energy in milliwatt-hours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Energy {
    mwh: u64,
}

impl Energy {
    /// What `watts` use in a day when on for `on` seconds of every `of`: watts × 24 h × on/of,
    /// to the nearest milliwatt-hour (a server: `on == of`, exactly watts × 24 h).
    pub(crate) fn per_day(watts: u32, on: u64, of: u64) -> Self {
        let value = u128::from(watts) * 24_000 * u128::from(on);
        let mwh = round_half_up(value, u128::from(of.max(1)));
        Self {
            mwh: u64::try_from(mwh).unwrap_or(u64::MAX),
        }
    }

    /// In kWh with `places` decimals (at most 6), rounded half-up.
    pub(crate) fn kwh(self, places: u32) -> String {
        let places = places.min(6);
        let unit = MWH_PER_KWH / 10u128.pow(places);
        decimal(round_half_up(u128::from(self.mwh), unit), places)
    }

    /// In kWh as a number with `places` decimals, for JSON.
    pub(crate) fn kwh_number(self, places: u32) -> f64 {
        self.kwh(places).parse().unwrap_or_default()
    }
}

impl Add for Energy {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self {
            mwh: self.mwh.saturating_add(other.mwh),
        }
    }
}

impl AddAssign for Energy {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl Mul<u64> for Energy {
    type Output = Self;
    fn mul(self, n: u64) -> Self {
        Self {
            mwh: self.mwh.saturating_mul(n),
        }
    }
}

/// An amount of money, exact (10^-15 of the currency).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Money(u128);

impl Money {
    /// In hundredths of the currency (pence, cents), rounded half-up.
    pub(crate) fn cents(self) -> u128 {
        round_half_up(self.0, PER_CENT)
    }

    /// As a number with two decimals, for JSON and /metrics.
    pub(crate) fn number(self) -> f64 {
        decimal(self.cents(), 2).parse().unwrap_or_default()
    }

    /// `£2.85`, `€2.85`, `$2.85`, or `2.85 CHF` for a currency without a symbol here.
    pub(crate) fn show(self, currency: &str) -> String {
        let amount = decimal(self.cents(), 2);
        match symbol(currency) {
            Some(s) => format!("{s}{amount}"),
            None => format!("{amount} {currency}"),
        }
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "GBP" => Some("£"),
        "EUR" => Some("€"),
        "USD" => Some("$"),
        _ => None,
    }
}

impl Add for Money {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl Mul<u64> for Money {
    type Output = Self;
    fn mul(self, n: u64) -> Self {
        Self(self.0.saturating_mul(u128::from(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(text: &str) -> Price {
        Price::parse(text).unwrap()
    }

    #[test]
    fn the_prd_appendix_to_the_penny() {
        // 495 W of servers all day at 0.24 GBP/kWh: 11.88 kWh, £2.8512 a day, £85.536 a month.
        let day = Energy::per_day(495, 86_400, 86_400);
        assert_eq!(day.kwh(2), "11.88");
        let p = Price::from_number(0.24).unwrap();
        assert_eq!(p, price("0.24"));
        assert_eq!(p.cost(day).show("GBP"), "£2.85");
        assert_eq!((p.cost(day) * 30).show("GBP"), "£85.54");
        assert_eq!((day * 30).kwh(2), "356.40");
    }

    #[test]
    fn half_a_penny_rounds_up_and_just_below_does_not() {
        // 0.125 a kWh: 40 Wh cost exactly 0.005; 39.999 Wh a hair less.
        let p = price("0.125");
        assert_eq!(p.cost(Energy { mwh: 40_000 }).cents(), 1);
        assert_eq!(p.cost(Energy { mwh: 39_999 }).cents(), 0);
        assert_eq!(p.cost(Energy { mwh: 120_000 }).show("EUR"), "€0.02"); // 0.015
        assert_eq!(p.cost(Energy { mwh: 119_999 }).show("USD"), "$0.01");
        assert_eq!(Money(PER_CENT * 1234).show("CHF"), "12.34 CHF");
    }

    #[test]
    fn sums_are_exact_before_rounding() {
        // Three machines each costing 0.004 a day: rounded alone each is 0.00, together 0.01.
        let p = price("0.1");
        let each = p.cost(Energy { mwh: 40_000 });
        assert_eq!(each.cents(), 0);
        assert_eq!((each + each + each).cents(), 1);
    }

    #[test]
    fn large_fleets_do_not_overflow() {
        // 100 000 machines of 5 kW at 100 a kWh, for a month: 360 million kWh, 36 billion.
        let mut day = Energy::default();
        for _ in 0..100_000 {
            day += Energy::per_day(5000, 86_400, 86_400);
        }
        let month = price("100").cost(day) * 30;
        assert_eq!((day * 30).kwh(2), "360000000.00");
        assert_eq!(month.cents(), 3_600_000_000_000);
        assert_eq!(month.show("GBP"), "£36000000000.00");
    }

    #[test]
    fn prices_read_as_exact_decimals() {
        assert_eq!(price("0.24").nanos_per_kwh, 240_000_000);
        assert_eq!(price(".5").nanos_per_kwh, 500_000_000);
        assert_eq!(price("12").nanos_per_kwh, 12_000_000_000);
        assert_eq!(price("0.0000000015").nanos_per_kwh, 2);
        assert_eq!(price("0.30").text(), "0.3");
        assert_eq!(
            Price::from_number(0.1 + 0.2).unwrap().nanos_per_kwh,
            300_000_000
        );
        for bad in ["", ".", "1.2.3", "-1", "1e5", "abc"] {
            assert_eq!(Price::parse(bad), None, "{bad}");
        }
        assert_eq!(Price::from_number(f64::NAN), None);
        assert_eq!(Price::from_number(-0.5), None);
    }

    #[test]
    fn a_share_of_the_day() {
        // 100 W on 8 h of every 24: 800 Wh; 45 W on 1 s of 3 days, to the nearest mWh.
        assert_eq!(Energy::per_day(100, 8 * 3600, 86_400).kwh(3), "0.800");
        assert_eq!(Energy::per_day(45, 1, 3 * 86_400).mwh, 4);
        assert_eq!(decimal(5, 2), "0.05");
        assert_eq!(decimal(7, 0), "7");
    }
}
