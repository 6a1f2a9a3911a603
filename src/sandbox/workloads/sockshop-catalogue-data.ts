// socksdb as weaveworksdemos/catalogue-db:0.3.0 ships it (microservices-demo/catalogue
// docker/catalogue-db/data/dump.sql): tables sock, tag and sock_tag, and the rows that catalogue's
// queries (service.go) get back from MySQL: List groups by sock id with GROUP_CONCAT of the tag names
// that passed the WHERE (so a tag filter also trims each sock's tag list), Count is COUNT(DISTINCT),
// Get joins every tag, Tags lists tag names in id order.

/** One row of `sock`. */
interface SockRow {
  sock_id: string;
  name: string;
  description: string;
  price: number;
  count: number;
  image_url_1: string;
  image_url_2: string;
}

/** A row as catalogue's base query returns it (`sock.sock_id AS id`, …, `GROUP_CONCAT(tag.name) AS tag_name`). */
export interface SockQueryRow {
  id: string;
  name: string;
  description: string;
  price: number;
  count: number;
  image_url_1: string;
  image_url_2: string;
  tag_name: string;
}

const sock = (sock_id: string, name: string, description: string, price: number, count: number, image_url_1: string, image_url_2: string): SockRow => ({ sock_id, name, description, price, count, image_url_1, image_url_2 });

const socks: SockRow[] = [
  sock('6d62d909-f957-430e-8689-b5129c0bb75e', 'Weave special', 'Limited issue Weave socks.', 17.15, 33, '/catalogue/images/weave1.jpg', '/catalogue/images/weave2.jpg'),
  sock('a0a4f044-b040-410d-8ead-4de0446aec7e', 'Nerd leg', 'For all those leg lovers out there. A perfect example of a swivel chair trained calf. Meticulously trained on a diet of sitting and Pina Coladas. Phwarr...', 7.99, 115, '/catalogue/images/bit_of_leg_1.jpeg', '/catalogue/images/bit_of_leg_2.jpeg'),
  sock('808a2de1-1aaa-4c25-a9b9-6612e8f29a38', 'Crossed', 'A mature sock, crossed, with an air of nonchalance.', 17.32, 738, '/catalogue/images/cross_1.jpeg', '/catalogue/images/cross_2.jpeg'),
  sock('510a0d7e-8e83-4193-b483-e27e09ddc34d', 'SuperSport XL', 'Ready for action. Engineers: be ready to smash that next bug! Be ready, with these super-action-sport-masterpieces. This particular engineer was chased away from the office with a stick.', 15.0, 820, '/catalogue/images/puma_1.jpeg', '/catalogue/images/puma_2.jpeg'),
  sock('03fef6ac-1896-4ce8-bd69-b798f85c6e0b', 'Holy', 'Socks fit for a Messiah. You too can experience walking in water with these special edition beauties. Each hole is lovingly proggled to leave smooth edges. The only sock approved by a higher power.', 99.99, 1, '/catalogue/images/holy_1.jpeg', '/catalogue/images/holy_2.jpeg'),
  sock('d3588630-ad8e-49df-bbd7-3167f7efb246', 'YouTube.sock', "We were not paid to sell this sock. It's just a bit geeky.", 10.99, 801, '/catalogue/images/youtube_1.jpeg', '/catalogue/images/youtube_2.jpeg'),
  sock('819e1fbf-8b7e-4f6d-811f-693534916a8b', 'Figueroa', 'enim officia aliqua excepteur esse deserunt quis aliquip nostrud anim', 14, 808, '/catalogue/images/WAT.jpg', '/catalogue/images/WAT2.jpg'),
  sock('zzz4f044-b040-410d-8ead-4de0446aec7e', 'Classic', 'Keep it simple.', 12, 127, '/catalogue/images/classic.jpg', '/catalogue/images/classic2.jpg'),
  sock('3395a43e-2d88-40de-b95f-e00e1502085b', 'Colourful', 'proident occaecat irure et excepteur labore minim nisi amet irure', 18, 438, '/catalogue/images/colourful_socks.jpg', '/catalogue/images/colourful_socks.jpg'),
  sock('837ab141-399e-4c1f-9abc-bace40296bac', 'Cat socks', 'consequat amet cupidatat minim laborum tempor elit ex consequat in', 15, 175, '/catalogue/images/catsocks.jpg', '/catalogue/images/catsocks2.jpg'),
];

/** `tag` in AUTO_INCREMENT order: tag_id = index + 1. */
const tags = ['brown', 'geek', 'formal', 'blue', 'skin', 'red', 'action', 'sport', 'black', 'magic', 'green'];

/** `sock_tag` in insertion order: [sock_id prefix, tag_id]. */
const sockTags: [string, number][] = [
  ['6d62d909', 2], ['6d62d909', 9], ['a0a4f044', 4], ['a0a4f044', 5], ['808a2de1', 4], ['808a2de1', 6], ['808a2de1', 7], ['808a2de1', 3],
  ['510a0d7e', 8], ['510a0d7e', 9], ['510a0d7e', 3], ['03fef6ac', 10], ['03fef6ac', 7], ['d3588630', 2], ['d3588630', 3], ['819e1fbf', 3],
  ['819e1fbf', 11], ['819e1fbf', 4], ['zzz4f044', 1], ['zzz4f044', 11], ['3395a43e', 1], ['3395a43e', 4], ['837ab141', 1], ['837ab141', 11], ['837ab141', 3],
];

/** The image files catalogue serves from ./images/ (every image_url of the dump, deduplicated). */
export const imageFiles = [...new Set(socks.flatMap((s) => [s.image_url_1, s.image_url_2]).map((u) => u.replace('/catalogue/images/', '')))].sort();

/** Tag names of a sock that pass `filter` (no filter = all), in the order MySQL's join returns them (by tag_id). */
function tagsOf(sockId: string, filter: string[]): string[] {
  return sockTags
    .filter(([prefix]) => sockId.startsWith(prefix))
    .map(([, id]) => id)
    .sort((a, b) => a - b)
    .map((id) => tags[id - 1])
    .filter((t) => !filter.length || filter.includes(t));
}

const toRow = (s: SockRow, names: string[]): SockQueryRow => ({ id: s.sock_id, name: s.name, description: s.description, price: s.price, count: s.count, image_url_1: s.image_url_1, image_url_2: s.image_url_2, tag_name: names.join(',') });

/** A query catalogue sends to catalogue-db (one statement of service.go). */
export type SocksdbQuery = { op: 'list'; tags: string[] } | { op: 'count'; tags: string[] } | { op: 'get'; id: string } | { op: 'tags' } | { op: 'ping' };

/** The rows MySQL answers `q` with. */
export function runSocksdbQuery(q: SocksdbQuery): unknown[] {
  switch (q.op) {
    case 'list':
      // JOIN … WHERE tag.name=? OR … GROUP BY id: only socks with a matching tag, ordered by the group key.
      return socks
        .map((s) => ({ s, names: tagsOf(s.sock_id, q.tags) }))
        .filter((x) => x.names.length > 0)
        .sort((a, b) => (a.s.sock_id < b.s.sock_id ? -1 : 1))
        .map((x) => toRow(x.s, x.names));
    case 'count':
      return [{ count: socks.filter((s) => tagsOf(s.sock_id, q.tags).length > 0).length }];
    case 'get': {
      const s = socks.find((x) => x.sock_id === q.id);
      return s ? [toRow(s, tagsOf(s.sock_id, []))] : [];
    }
    case 'tags':
      return tags.map((name) => ({ name }));
    case 'ping':
      return [];
  }
}
