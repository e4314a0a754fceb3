import yauzl from 'yauzl';

/** Limits on what a zip may unpack to: a zip bomb stops at the first byte past them. */
export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
}

export const ZIP_LIMITS: ZipLimits = { maxEntries: 2_000, maxTotalBytes: 512 * 1024 * 1024 };

export class ZipUnreadable extends Error {}

function open(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((done, fail) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) =>
      error || !zip ? fail(new ZipUnreadable(error?.message ?? 'not a zip')) : done(zip),
    ),
  );
}

/**
 * The files in a zip whose names `wanted` accepts, unpacked. Sizes are counted as bytes arrive,
 * not taken from the zip's own headers, so a forged header cannot smuggle a bomb past them.
 */
export async function unzip(
  buffer: Buffer,
  wanted: (name: string) => boolean,
  limits: ZipLimits = ZIP_LIMITS,
): Promise<Map<string, Buffer>> {
  const zip = await open(buffer);
  if (zip.entryCount > limits.maxEntries)
    throw new ZipUnreadable(
      `The zip holds ${zip.entryCount} files, more than ${limits.maxEntries}.`,
    );
  const files = new Map<string, Buffer>();
  let total = 0;
  return new Promise((done, fail) => {
    const stop = (error: Error) => {
      zip.close();
      fail(error instanceof ZipUnreadable ? error : new ZipUnreadable(error.message));
    };
    zip.on('error', stop);
    zip.on('end', () => done(files));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/') || !wanted(entry.fileName)) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return stop(error ?? new Error('unreadable entry'));
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > limits.maxTotalBytes) {
            stream.destroy();
            stop(
              new ZipUnreadable(
                `The zip unpacks to more than ${Math.round(limits.maxTotalBytes / 1048576)} MB.`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        stream.on('error', stop);
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}

/** Whether the bytes begin like a zip (local file header). */
export function looksLikeZip(buffer: Buffer): boolean {
  return buffer.length >= 4 && buffer.readUInt32LE(0) === 0x04034b50;
}
