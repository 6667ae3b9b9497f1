// Prices are integer cents. One formatter per currency, fixed locale so output is stable.
const formatters = new Map();

export function formatMoney(cents, currency = 'EUR') {
  const code = currency || 'EUR';
  if (!formatters.has(code)) {
    formatters.set(code, new Intl.NumberFormat('en-IE', { style: 'currency', currency: code }));
  }
  const amount = Number.isFinite(cents) ? cents / 100 : 0;
  return formatters.get(code).format(amount);
}
