// Owns how an attendee's name is folded for search, the same on the way into the cache and in a query:
// Unicode compatibility forms unified (NFKC: full-width Latin, ligatures), case folded in every script
// (SQLite's lower() folds only ASCII), Russian ё read as е, and runs of white space made one space.
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/\s+/gu, ' ')
    .trim();
}
