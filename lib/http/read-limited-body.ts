/**
 * Reads at most `limit` bytes of a request body without buffering an oversized one. `tooLarge` is set when the
 * declared Content-Length or the bytes actually sent exceed the limit; `bytes` then holds the first `limit` bytes.
 */
export async function readLimitedBody(
  request: Request,
  limit: number,
): Promise<{ bytes: Uint8Array; totalBytes: number; tooLarge: boolean }> {
  const declared = Number.parseInt(request.headers.get("content-length") ?? "", 10);
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let seen = 0;
  if (request.body) {
    const reader = request.body.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += value.byteLength;
      if (kept < limit) {
        const slice = value.subarray(0, limit - kept);
        chunks.push(slice);
        kept += slice.byteLength;
      }
      if (seen > limit) {
        await reader.cancel().catch(() => {});
        break;
      }
    }
  }
  const bytes = new Uint8Array(kept);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const totalBytes = Number.isFinite(declared) && declared > seen ? declared : seen;
  return { bytes, totalBytes, tooLarge: totalBytes > limit };
}
