import { createReadStream } from 'node:fs'
import { pipeline, Transform, type Readable } from 'node:stream'

/** The encodings UK open data files arrive in: UTF-8 (with or without a byte order mark) and Windows-1252. */
export type FileEncoding = 'utf-8' | 'windows-1252'

export interface DetectedEncoding {
  encoding: FileEncoding
  bom: boolean
}

const UTF8_BOM = [0xef, 0xbb, 0xbf]

/**
 * Reads the whole file once with a strict UTF-8 decoder: if every byte sequence is valid UTF-8 the file is
 * UTF-8, otherwise it is taken as Windows-1252 (Excel's "CSV" on Windows), which can decode any byte. A decode
 * of a sample could be fooled by a single "é" near the end of a national file; a streaming pass is cheap.
 * A file that cannot be read is an error, not Windows-1252.
 */
export async function detectEncoding(path: string): Promise<DetectedEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let first: Buffer | undefined
  let utf8 = true
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    first ??= chunk
    try {
      decoder.decode(chunk, { stream: true })
    } catch {
      utf8 = false
      break
    }
  }
  try {
    if (utf8) decoder.decode()
  } catch {
    utf8 = false
  }
  if (!utf8) return { encoding: 'windows-1252', bom: false }
  const bom = Boolean(first && UTF8_BOM.every((b, i) => first![i] === b))
  return { encoding: 'utf-8', bom }
}

/**
 * The file's text as a stream of strings in its encoding, without the byte order mark. `onBytes` hears how many
 * bytes of the file each chunk was (for progress: the decoded text can be longer than the file). Destroying the
 * stream closes the file, and a read error reaches the stream.
 */
export function readText(path: string, encoding: FileEncoding, onBytes?: (bytes: number) => void): Readable {
  const decoder = new TextDecoder(encoding, { ignoreBOM: false })
  const decode = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      onBytes?.(chunk.length)
      done(null, decoder.decode(chunk, { stream: true }))
    },
    flush(done) {
      done(null, decoder.decode())
    },
  })
  return pipeline(createReadStream(path), decode, () => {})
}
