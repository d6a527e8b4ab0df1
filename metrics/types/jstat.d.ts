// The part of jStat (no types of its own) Bearing uses: Student's t distribution.
declare module 'jstat' {
  const jstat: { jStat: { studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number } } };
  export default jstat;
}
