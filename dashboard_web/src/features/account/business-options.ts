// Choices for the business profile. The server accepts any active ISO 4217 code and any
// IANA zone; the lists here are what the browser can offer, with the saved value always
// kept so an unusual but valid choice is never lost.
export const COMMON_CURRENCIES = [
  "EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON",
  "BGN", "TRY", "BRL", "MXN", "ARS", "CLP", "COP", "ZAR", "INR", "JPY", "CNY", "HKD", "SGD", "KRW",
  "AED", "SAR", "ILS",
] as const;

export function currencyOptions(current: string): string[] {
  const upper = current.toUpperCase();
  return upper && !(COMMON_CURRENCIES as readonly string[]).includes(upper) ? [upper, ...COMMON_CURRENCIES] : [...COMMON_CURRENCIES];
}

export function timeZoneOptions(current: string): string[] {
  const supported =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC", "Europe/London", "Europe/Berlin", "America/New_York"];
  const zones = supported.includes("UTC") ? supported : ["UTC", ...supported];
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}
