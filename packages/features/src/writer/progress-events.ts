/** What the feature writer and the image fetcher report while they work; `type` tells them apart. */
export type FeatureProgressEvent =
  /** Encoding begins; `resumedFrom` items were already encoded by an earlier, interrupted run. */
  | { type: 'start'; modality: string; itemCount: number; resumedFrom: number }
  /** Items 1..done are now on disk (`missing` of them without features). */
  | { type: 'chunk'; modality: string; done: number; itemCount: number; missing: number }
  /** The files and manifest were complete and matched already; nothing was encoded. */
  | { type: 'up-to-date'; modality: string; itemCount: number; manifest: string }
  /** All items are written and the manifest is in place. */
  | { type: 'done'; modality: string; itemCount: number; missing: number; manifest: string }
  /** An image request failed and will be tried again after `delayMs`. */
  | { type: 'image-retry'; item: number; url: string; attempt: number; delayMs: number; reason: string }
  /** An image could not be had; the item is recorded as missing and in the failure log. */
  | { type: 'image-failed'; item: number; url: string; attempts: number; reason: string };

export type FeatureProgressListener = (event: FeatureProgressEvent) => void;
