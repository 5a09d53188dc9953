/** A point on the globe in decimal degrees (WGS 84, as geocoders and the dataset give them). */
export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** Mean Earth radius the reference uses for its haversine distances. */
export const EARTH_RADIUS_KM = 6371;

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/**
 * Great-circle distance in km by the haversine formula, as the reference's carbon
 * retriever computes `transmission_distances` (it feeds the migration-distance check).
 */
export function haversineKm(from: Coordinates, to: Coordinates): number {
  const lat1 = toRadians(from.latitude);
  const lat2 = toRadians(to.latitude);
  const dLat = lat2 - lat1;
  const dLon = toRadians(to.longitude) - toRadians(from.longitude);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2;
  return EARTH_RADIUS_KM * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}
