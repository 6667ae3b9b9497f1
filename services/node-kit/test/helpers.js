// A log destination that keeps the parsed JSON lines.
export function memoryLog() {
  const lines = [];
  return {
    lines,
    write(chunk) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    },
  };
}
