/**
 * Inverse of the standard normal CDF (the quantile function, scipy's `norm.ppf`).
 *
 * Acklam's rational approximation (relative error below 1.15e-9 over (0, 1)),
 * then one Halley step against an erfc-based CDF, which brings the result to about
 * double precision. The latency fit only needs a handful of fixed quantiles, so
 * speed does not matter; accuracy keeps our fits comparable with scipy's.
 */
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  if (p > 1 - P_LOW) return -acklam(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}

/**
 * Complementary error function, W. J. Cody's rational Chebyshev approximations
 * (relative error around 1e-16 in double precision), as used by most C libraries.
 */
export function erfc(x: number): number {
  const ax = Math.abs(x);
  let result: number;
  if (ax < 0.5) {
    const t = x * x;
    const num = (((0.1857777061846031526730 * t + 3.1611237438705656) * t + 113.86415415105016) * t + 377.485237685302) * t + 3209.3775891384694;
    const den = (((t + 23.601290952344122) * t + 244.02463793444417) * t + 1282.6165260773723) * t + 2844.2368334391704;
    return 1 - (x * num) / den;
  } else if (ax < 4) {
    const num =
      (((((((2.15311535474403846e-8 * ax + 0.56418849698867008) * ax + 8.8831497943883759) * ax + 66.119190637141634) * ax + 298.63513819740013) * ax +
        881.9522212417691) *
        ax +
        1712.0476126340707) *
        ax +
        2051.0783778260716) *
        ax +
      1230.3393547979972;
    const den =
      (((((((ax + 15.744926110709835) * ax + 117.6939508913125) * ax + 537.18110186200986) * ax + 1621.3895745666903) * ax + 3290.7992357334842) * ax +
        4362.6190901432471) *
        ax +
        3439.3676741437216) *
        ax +
      1230.3393548037495;
    result = Math.exp(-ax * ax) * (num / den);
  } else {
    const z = 1 / (ax * ax);
    const num = ((((0.016315387137302097 * z + 0.30532663496123236) * z + 0.36034489994980445) * z + 0.12578172611122926) * z + 0.016083785148742275) * z + 6.5874916152983678e-4;
    const den = ((((z + 2.5685201922898682) * z + 1.8729528499234604) * z + 0.52790510295142216) * z + 0.060518341312441320) * z + 2.3352049762686918e-3;
    result = (Math.exp(-ax * ax) / ax) * (1 / Math.sqrt(Math.PI) - (z * num) / den);
  }
  return x < 0 ? 2 - result : result;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Quantile of N(mean, sd) at probability p in (0, 1); ±Infinity at 0 and 1. */
export function normalPpf(p: number, mean = 0, sd = 1): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x = acklam(p);
  // One Halley refinement step on f(x) = Φ(x) − p.
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  x = x - u / (1 + (x * u) / 2);
  return mean + sd * x;
}
