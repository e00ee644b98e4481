/** Messages between the page and the keyframe decode worker (workers/keyframe-decode.worker.ts). */

export interface DecodeRequest {
  readonly id: number;
  /** Image URL (any format the browser decodes: PNG, JPEG, WebP, AVIF). */
  readonly url: string;
  /** Size to decode to: the set's layer size. */
  readonly width: number;
  readonly height: number;
}

export type DecodeReply =
  | { readonly id: number; readonly ok: true; readonly width: number; readonly height: number; readonly pixels: ArrayBuffer }
  | { readonly id: number; readonly ok: false; readonly message: string };
