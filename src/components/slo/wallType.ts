// Type for a NOC wall read from across a room, stated once. Sizes are in wall units: 1 % of the height the wall
// fills (the screen in the app's TV mode; the panel's height / 50 for the SLO panel at wall size), so a 4K screen
// gets twice the pixels of a 1080p one and the same proportions. At 1920×1080 (1 unit = 10.8 px):
//   SLO title 4.4 u = 47.5 px · gauge percentage 0.19 × 26 u = 53 px · data rows 3.2 u = 34.6 px ·
//   alert chips 2.6 u = 28 px · page title 4.4 u. At 3840×2160 each doubles.
// (Legibility at 5 m needs letters of ~25 mm: 34 px rows on a 55" 1080p screen are ~22 mm tall capitals + ascenders.)
export const WALL_TYPE = {
  title: 4.4,
  rows: 3.2,
  chip: 2.6,
  gauge: 26,
  pageTitle: 4.4,
} as const;

/** Pixels for `units` wall units of a wall `u` pixels per unit, rounded to a tenth. */
export const wallPx = (u: number, units: number) => Math.round(u * units * 10) / 10;
