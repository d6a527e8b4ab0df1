/** Whether two sentences say the same (a reason that is already the reading is not said twice). */
export const sameWords = (a: string, b: string) =>
  a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
