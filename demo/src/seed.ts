// Seed data for a new shop database: the product catalogue and the traffic users' accounts.

/** ~12 coffee and tea products, inserted in this order (ids 1..n). */
export const PRODUCTS: readonly [name: string, category: string, priceCents: number, description: string][] = [
  ['Ceramic Coffee Mug', 'Mugs', 1250, 'A 350 ml stoneware mug with a glossy glaze. Dishwasher and microwave safe.'],
  ['Espresso Cup Set', 'Cups', 2400, 'Four 90 ml porcelain espresso cups with matching saucers.'],
  ['Travel Mug', 'Mugs', 1990, 'Double-walled stainless steel with a leak-proof lid; keeps coffee hot for six hours.'],
  ['Pour-over Kettle', 'Brewing', 3900, 'A 1 litre gooseneck kettle for a slow, even pour. Works on gas and induction.'],
  ['Tea Infuser', 'Tea', 875, 'A fine stainless mesh infuser ball for loose leaf tea.'],
  ['Burr Coffee Grinder', 'Brewing', 5900, 'A hand grinder with ceramic burrs and 18 grind settings, from espresso to cold brew.'],
  ['Glass French Press', 'Brewing', 2950, 'An 800 ml borosilicate press with a four-layer steel filter.'],
  ['Loose Leaf Green Tea', 'Tea', 1100, '100 g of first-flush sencha with a fresh, grassy taste.'],
  ['Milk Frother', 'Accessories', 2200, 'A battery-powered whisk for silky foam in under twenty seconds.'],
  ['Bamboo Coaster Set', 'Accessories', 950, 'Six heat-resistant bamboo coasters in a stacking holder.'],
  ['Cast Iron Teapot', 'Tea', 4500, 'A 600 ml enamelled cast iron teapot with a removable infuser.'],
  ['Cold Brew Bottle', 'Brewing', 1725, 'A 1 litre glass bottle with a fine filter for overnight cold brew.'],
];

/** Traffic users: the traffic generator signs in as these. */
export const SHOPPERS = Object.freeze({ count: 5, emailOf: (n: number) => `shopper${n}@demo.shop`, password: 'shopper-password' });
