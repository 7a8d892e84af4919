/** The source of src/row-counts-wasm.ts compiled fresh from wasm/row-counts.wat. */
export function compileRowCounts(): Promise<string>;
