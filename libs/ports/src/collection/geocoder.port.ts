import type { Coordinates } from '@caribou/domain-collection';

export type { Coordinates } from '@caribou/domain-collection';

/** Turns a place name (a region's display name) into coordinates. Throws a CaribouError when the place is unknown. */
export interface Geocoder {
  geocode(placeName: string): Promise<Coordinates>;
}
