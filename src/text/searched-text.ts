/**
 * A passage's text as search reads it, the one reading every layer uses (ingest hashes it, the
 * index embeds it, the answer layer's coverage features read it): what is shown, then the words
 * only searched (`Chunk.searchText`, such as a procedure's everyday names), which are never shown.
 */
export function searchedText(chunk: { text: string; searchText?: string | undefined }): string {
  return chunk.searchText ? `${chunk.text}\n${chunk.searchText}` : chunk.text;
}
