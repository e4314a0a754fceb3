/** A season as people name it: "Vụ Mùa:2024". */
export const seasonLabel = (year: number, name: string) => `${name}:${year}`;
