/**
 * Python's `repr(float)`: the shortest round-trip digits (the same digits JavaScript
 * picks), scientific notation iff the decimal exponent is < -4 or >= 16, a two-digit
 * signed exponent, and `.0` on integral values. The reference keys its distribution
 * buckets by this text, so stored data only lines up when we print it the same way.
 */
export function pyRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa!.replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.slice(1);
    const exp = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${fraction ? `.${fraction}` : ''}e${exp}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerDigits = exponent + 1;
  if (digits.length <= integerDigits) return `${sign}${digits.padEnd(integerDigits, '0')}.0`;
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
}

/** Python's `str()` of a bool, as the reference prints it inside log lines. */
export function pyBool(value: boolean): 'True' | 'False' {
  return value ? 'True' : 'False';
}
