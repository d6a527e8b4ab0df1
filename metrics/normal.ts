/** The standard normal's 97.5% quantile: every 95% interval in Bearing is ± Z95 standard errors. */
export const Z95 = 1.959963984540054;
