/** The folder of a bundle of the current sources (built when they changed), or undefined when none can be built. */
export function freshBundle(): Promise<string | undefined>;
