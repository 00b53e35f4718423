import { osKey } from '../nodeimage/osKey';

/**
 * What housekeeping must keep however old it is: the evidence of the newest node image of each image
 * family (`osKey`). The ring gate only ever asks whether a ring has soaked the newest image of a family;
 * rollouts and first-seen times of an older image answer no question any more. Pure.
 */
export function newestImages(images: Iterable<string>): Map<string, string> {
  const newest = new Map<string, string>();
  for (const image of images) {
    const family = osKey(image);
    const seen = newest.get(family);
    // Image versions end in a sortable date stamp (…-202610.07.0): the string order is the release order.
    if (seen === undefined || image.localeCompare(seen, 'en', { numeric: true }) > 0)
      newest.set(family, image);
  }
  return newest;
}

export function isNewestImage(newest: ReadonlyMap<string, string>, image: string | undefined): boolean {
  return image !== undefined && newest.get(osKey(image)) === image;
}
