/** Case-number prefixes people already know; the rest are derived from the name. */
const KNOWN_PREFIXES: Record<string, string> = {
  '1384': 'KGS', // Kungsbacka
  '1283': 'HBG', // Helsingborg
  '1080': 'KKR', // Karlskrona
  '1984': 'ARB', // Arboga
  '1983': 'KPG', // Köping
  '1960': 'KSR', // Kungsör
  '2417': 'NSJ', // Norsjö
  '2482': 'SKE', // Skellefteå
  '1280': 'MMO', // Malmö
  '0180': 'STO', // Stockholm
  '1480': 'GBG', // Göteborg
};

function fold(name: string): string {
  return name
    .toUpperCase()
    .replace(/[ÅÄ]/g, 'A')
    .replace(/Ö/g, 'O')
    .replace(/É/g, 'E')
    .replace(/[^A-Z]/g, '');
}

/**
 * Gives every municipality a unique three-letter prefix for readable case numbers
 * ("KGS-2026-00123"). Deterministic: the same list always yields the same prefixes.
 */
export function assignCasePrefixes(municipalities: { code: string; name_short: string }[]): Map<string, string> {
  const result = new Map<string, string>();
  const used = new Set(Object.values(KNOWN_PREFIXES));
  const sorted = [...municipalities].sort((a, b) => a.code.localeCompare(b.code));
  for (const m of sorted) {
    const known = KNOWN_PREFIXES[m.code];
    if (known) result.set(m.code, known);
  }
  for (const m of sorted) {
    if (result.has(m.code)) continue;
    const letters = fold(m.name_short);
    let chosen: string | undefined;
    for (let i = 1; i < letters.length && !chosen; i++) {
      for (let j = i + 1; j < letters.length && !chosen; j++) {
        const candidate = letters[0] + letters[i] + letters[j];
        if (!used.has(candidate)) chosen = candidate;
      }
    }
    for (let n = 0; !chosen; n++) {
      const candidate = `${letters[0] ?? 'K'}${String.fromCharCode(65 + Math.floor(n / 26) % 26)}${String.fromCharCode(65 + (n % 26))}`;
      if (!used.has(candidate)) chosen = candidate;
    }
    used.add(chosen);
    result.set(m.code, chosen);
  }
  return result;
}
