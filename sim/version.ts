/** loopsim's version, as in package.json (a test keeps the two equal). Written into summary.json and run.json. */
export const VERSION = '0.2.0';
