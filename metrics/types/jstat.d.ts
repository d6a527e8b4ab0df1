// The part of jStat (no types of its own) Bearing uses: Student's t, and the normal's quantiles for the bench.
declare module 'jstat' {
  const jstat: {
    jStat: {
      studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
      normal: { inv(p: number, mean: number, sd: number): number };
    };
  };
  export default jstat;
}
