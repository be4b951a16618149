/** Options of the veza-pgtopology-panel. */
export interface TopologyOptions {
  /** How many of the last formation events to list under the drawing. */
  eventCount: number;
}
