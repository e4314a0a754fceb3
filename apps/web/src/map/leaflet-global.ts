import L from 'leaflet';

// Leaflet-Geoman extends the global L; with ES modules there is none until this sets it.
(window as unknown as { L: typeof L }).L = L;
