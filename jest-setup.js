// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// @grafana/ui's Select and Combobox watch visibility (IntersectionObserver) and measure option text on a canvas;
// jsdom has neither. Every component test gets the same inert stand-ins.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
Object.assign(window, { IntersectionObserver: NoopObserver });
HTMLCanvasElement.prototype.getContext = () => ({ measureText: () => ({ width: 40 }) });
