// A small symmetric positive-definite system solved in place (Cholesky, then two triangular
// solves) on a flat array. A mix fit solves tens of thousands of 10–30-unknown systems; building
// a matrix object for each cost more than the arithmetic. Pure.

/** Solve H x = r for symmetric positive-definite H (p × p, row-major); throws when H is not. */
export function choleskySolve(h: Float64Array, p: number, r: readonly number[]): number[] {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = h[i * p + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        if (!(sum > 0)) throw new Error('Matrix is not positive definite');
        l[i * p + i] = Math.sqrt(sum);
      } else l[i * p + j] = sum / l[j * p + j]!;
    }
  }
  const z = new Array<number>(p);
  for (let i = 0; i < p; i++) {
    let sum = r[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * p + k]! * z[k]!;
    z[i] = sum / l[i * p + i]!;
  }
  const x = new Array<number>(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i]! * x[k]!;
    x[i] = sum / l[i * p + i]!;
  }
  return x;
}
