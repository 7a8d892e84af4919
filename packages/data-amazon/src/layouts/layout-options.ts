/** What every layout loader receives from `loadDataset`, already validated and defaulted. */
export interface LayoutOptions {
  /** Dataset name; undefined = the layout's own guess (file prefix or folder name). */
  name: string | undefined;
  kCore: number;
  dedupe: boolean;
  /** undefined = the layout's default. */
  dropItemsWithoutMeta: boolean | undefined;
  /** Read the feature files found in the folder. */
  features: boolean;
}
