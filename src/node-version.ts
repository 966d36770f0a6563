/** Oldest Node.js major version the assistant runs on (better-sqlite3 13 crashes on older ones). */
export const REQUIRED_NODE_MAJOR = 22;

/** A one-sentence explanation when `version` ("v20.20.2") is too old to run the assistant, else null. */
export function nodeVersionProblem(version: string): string | null {
  const major = Number(/^v?(\d+)/u.exec(version)?.[1] ?? 0);
  if (major >= REQUIRED_NODE_MAJOR) return null;
  return (
    `Trợ lý Công vụ needs Node.js ${REQUIRED_NODE_MAJOR} or newer and this is Node.js ${version}; install Node 24 (npm install -g --prefix /usr/local node@24) and start again. ` +
    `/ Trợ lý Công vụ cần Node.js ${REQUIRED_NODE_MAJOR} trở lên, máy đang chạy Node.js ${version}.`
  );
}
