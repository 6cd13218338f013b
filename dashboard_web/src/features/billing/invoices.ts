/** An amount in the currency's minor unit (Stripe's cents) as "$29.00". */
export function formatMoney(minor: number, currency: string): string {
  const code = currency.toUpperCase() || "USD";
  const format = new Intl.NumberFormat("en-US", { style: "currency", currency: code });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
