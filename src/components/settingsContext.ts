import { createContext, useContext } from 'react';
import type { AppSettings } from '../types/settings';

/** The app's jsonData, provided once by App.tsx so every page reads the same settings. */
export const SettingsContext = createContext<AppSettings>({});

export function useAppSettings(): AppSettings {
  return useContext(SettingsContext);
}
