"""Vocabulary the generator composes product names and descriptions from.

Materials, features and uses belong to each kind of product (a tent gets a hydrostatic
head, a knife a blade steel), so descriptions are coherent and distinct: a retrieval test
can ask for "a waterproof jacket for hiking" and there is a small set of right answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NounSpec:
    noun: str
    subcategory: str | None
    materials: tuple[str, ...]
    features: tuple[str, ...]
    uses: tuple[str, ...]


@dataclass(frozen=True)
class Variants:
    """Attributes a variable product in this category varies by (name → options)."""

    axes: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class CategoryVocab:
    name: str
    slug: str
    description: str
    nouns: tuple[NounSpec, ...]
    care: tuple[str, ...]
    tags: tuple[str, ...]
    price_range: tuple[int, int]
    praise: tuple[str, ...]
    complaints: tuple[str, ...]
    variants: Variants | None = None


def N(noun: str, sub: str | None, materials: str, features: str, uses: str) -> NounSpec:
    """Compact spec: '|' separates alternatives."""
    return NounSpec(
        noun, sub, tuple(materials.split("|")), tuple(features.split("|")), tuple(uses.split("|"))
    )


COLOURS = ("Black", "Navy", "Forest Green", "Rust Red", "Sand", "Sky Blue", "Charcoal")
APPAREL_SIZES = ("XS", "S", "M", "L", "XL")
SHOE_SIZES = ("38", "39", "40", "41", "42", "43", "44", "45")

# Brand/line names, deliberately including non-ASCII so unicode survives the whole pipeline.
LINES = (
    "Nordkap",
    "Sólveig",
    "Ærø",
    "Zürich",
    "Kyōto",
    "Alpenglow",
    "Harbor",
    "Señorita",
    "Łódź",
    "Fjällräv",
    "Côte",
    "Trailhead",
    "Meridian",
    "Brisa",
    "Ember",
    "Tundra",
    "Aurora",
    "Bergen",
    "Café Crème",
    "Saltmarsh",
    "Cedar",
    "Öland",
    "Granite",
    "Marée",
)

CATEGORIES: tuple[CategoryVocab, ...] = (
    CategoryVocab(
        name="Apparel",
        slug="apparel",
        description="<p>Everyday and technical clothing.</p>",
        nouns=(
            N(
                "Merino T-Shirt",
                "T-shirts",
                "150 gsm merino wool|merino-Tencel blend",
                "odour-resistant fibres you can wear for days|flatlock seams that do not chafe|"
                "a slim athletic fit|"
                "naturally temperature-regulating fabric",
                "multi-day hikes|travel when you pack light|layering under a shell",
            ),
            N(
                "Rain Jacket",
                "Jackets",
                "3-layer recycled nylon|2.5-layer ripstop polyester",
                "a fully taped waterproof membrane rated 20,000 mm|underarm ventilation zips|"
                "a helmet-compatible hood with a stiffened peak|"
                "a packable design that stuffs into its own pocket",
                "city commuting in the rain|weekend hikes|cycling to work",
            ),
            N(
                "Down Parka",
                "Jackets",
                "700-fill responsibly sourced down|recycled synthetic insulation",
                "a thigh-length cut that covers the hips|a fleece-lined chin guard|"
                "a two-way front zip|"
                "a removable faux-fur hood",
                "freezing winter commutes|après-ski evenings|standing at the sidelines in winter",
            ),
            N(
                "Fleece Hoodie",
                None,
                "recycled polyester fleece|brushed cotton fleece",
                "thumb loops on the cuffs|a kangaroo pocket|a relaxed fit with dropped shoulders",
                "lazy Sundays|layering on cold mornings|campfire evenings",
            ),
            N(
                "Cable-Knit Sweater",
                "Knitwear",
                "lambswool|organic cotton yarn|alpaca blend",
                "a traditional Aran cable pattern|ribbed cuffs and hem|"
                "a crew neck that keeps its shape",
                "cosy autumn walks|office days|Christmas dinners",
            ),
            N(
                "Linen Shirt",
                None,
                "European linen|linen-cotton blend",
                "a breathable open weave|mother-of-pearl buttons|a relaxed camp collar",
                "hot summer days|beach weddings|travel in the tropics",
            ),
            N(
                "Organic Cotton Tee",
                "T-shirts",
                "GOTS-certified organic cotton|slub cotton jersey",
                "a pre-shrunk garment-dyed finish|a reinforced neckline that does not sag|"
                "a boxy fit",
                "everyday wear|layering under a shirt|yoga and stretching",
            ),
        ),
        care=(
            "Machine wash cold & line dry.",
            "Wash at 30 °C inside out; do not tumble dry.",
            "Hand wash only; dry flat to keep its shape.",
        ),
        tags=("new-season", "sustainable", "bestseller", "gift-idea"),
        price_range=(19, 349),
        variants=Variants(axes=(("Colour", COLOURS), ("Size", APPAREL_SIZES))),
        praise=(
            "Fits true to size and the fabric feels great.",
            "Comfortable all day, washes well.",
        ),
        complaints=(
            "Runs a little small, order a size up.",
            "The colour is darker than in the photos.",
        ),
    ),
    CategoryVocab(
        name="Shoes",
        slug="shoes",
        description="<p>Footwear for trail and town.</p>",
        nouns=(
            N(
                "Trail Running Shoe",
                None,
                "recycled mesh|engineered knit",
                "a Vibram outsole with 5 mm lugs|a rock plate against sharp stones|"
                "a heel drop of 4 mm|"
                "a cushioned EVA midsole",
                "technical mountain trails|ultramarathon training|muddy forest runs",
            ),
            N(
                "Leather Chelsea Boot",
                None,
                "full-grain leather|water-repellent suede",
                "elastic side panels and a pull tab|a Goodyear-welted sole that can be resoled|"
                "a leather lining",
                "everyday city wear|smart-casual office days|autumn weekends",
            ),
            N(
                "Hiking Boot",
                None,
                "full-grain nubuck|suede and Cordura",
                "a waterproof Gore-Tex lining|ankle support with a padded collar|"
                "a grippy rubber toe cap",
                "multi-day treks with a heavy pack|scrambling on rock|muddy dog walks",
            ),
            N(
                "Canvas Sneaker",
                None,
                "organic cotton canvas|recycled canvas",
                "a vulcanised natural-rubber sole|a removable cork footbed|a classic low-top cut",
                "summer city walks|casual Fridays|festival weekends",
            ),
            N(
                "Wool Slipper",
                None,
                "boiled wool|felted merino",
                "a soft suede sole|a warm shearling lining|a backless slip-on design",
                "relaxing at home|cold wooden floors|reading by the fire",
            ),
        ),
        care=(
            "Brush off dirt and re-wax the leather twice a season.",
            "Remove the insole and air dry away from heat.",
        ),
        tags=("trail", "waterproof", "vegan", "bestseller"),
        price_range=(39, 289),
        variants=Variants(axes=(("Colour", COLOURS[:4]), ("Size", SHOE_SIZES))),
        praise=("Comfortable straight out of the box.", "Well made and true to size."),
        complaints=("Narrow at the toes for my wide feet.", "Laces came undone often."),
    ),
    CategoryVocab(
        name="Outdoor",
        slug="outdoor",
        description="<p>Camping and hiking equipment.</p>",
        nouns=(
            N(
                "Two-Person Tent",
                "Camping",
                "silicone-coated ripstop nylon|polyester with a PU coating",
                "a hydrostatic head of 3,000 mm|colour-coded aluminium poles for quick pitching|"
                "two doors and two porches|a weight of just 1.6 kg",
                "wild camping|bikepacking trips|festival weekends",
            ),
            N(
                "Down Sleeping Bag",
                "Camping",
                "800-fill goose down|hydrophobic duck down",
                "a comfort rating of -5 °C|a draught collar and zip baffle|"
                "a mummy shape that packs down to the size of a melon",
                "alpine starts before sunrise|winter camping|multi-day treks",
            ),
            N(
                "Trekking Poles",
                "Hiking",
                "carbon fibre|aircraft-grade aluminium",
                "flick locks that hold under load|cork grips that wick sweat|"
                "tungsten carbide tips with rubber covers",
                "steep descents that are hard on the knees|long-distance trails|snowshoeing",
            ),
            N(
                "Daypack 22 L",
                "Hiking",
                "recycled ripstop nylon|waxed canvas",
                "a ventilated mesh back panel|a hip belt with zipped pockets|a hydration sleeve|"
                "a rain cover stored in the base",
                "day hikes|commuting by bike|travel as a carry-on",
            ),
            N(
                "Headlamp",
                None,
                "anodised aluminium|impact-resistant polycarbonate",
                "a 400-lumen beam with a red night mode|a USB-C rechargeable battery|"
                "IPX4 splash resistance",
                "night hikes|reading in the tent|early trail runs",
            ),
            N(
                "Camping Stove",
                "Camping",
                "stainless steel|titanium",
                "a piezo igniter|a simmer control valve|a boil time of three minutes per litre",
                "cooking at camp|brewing coffee on summits|emergency kits",
            ),
            N(
                "Insulated Water Bottle",
                None,
                "18/8 stainless steel|double-walled titanium",
                "double walls that keep drinks cold for 24 hours|a leak-proof lid|"
                "a powder-coated grip",
                "long days in the sun|the gym|keeping tea hot on winter walks",
            ),
        ),
        care=(
            "Dry completely before storing to prevent mildew.",
            "Store loosely in the cotton sack, never compressed.",
        ),
        tags=("ultralight", "camping", "hiking", "expedition"),
        price_range=(14, 499),
        praise=(
            "Light enough that I forgot it was in my pack.",
            "Survived a stormy week in the Highlands.",
        ),
        complaints=("Heavier than the listing suggests.", "The stuff sack is too tight."),
    ),
    CategoryVocab(
        name="Kitchen",
        slug="kitchen",
        description="<p>Cookware and tools for home cooks.</p>",
        nouns=(
            N(
                "Cast Iron Skillet",
                None,
                "pre-seasoned cast iron|enamelled cast iron",
                "an induction-ready base|an oven-safe rating up to 260 °C|"
                "a helper handle for lifting|two pouring spouts",
                "searing steaks|baking cornbread|weeknight stir-fries",
            ),
            N(
                "Santoku Knife",
                None,
                "Damascus steel with 67 layers|VG-10 stainless steel",
                "a full tang and riveted handle|a 16 cm blade with a granton edge|"
                "a hardness of 60 HRC",
                "prepping vegetables|slicing fish thinly|everyday chopping",
            ),
            N(
                "French Press",
                None,
                "borosilicate glass|double-walled stainless steel",
                "a four-stage stainless filter|a 1 litre capacity|a heat-resistant handle",
                "brewing coffee for two|cold brew overnight|making loose-leaf tea",
            ),
            N(
                "Dutch Oven",
                None,
                "enamelled cast iron|pre-seasoned cast iron",
                "a tight-fitting self-basting lid|a 5.2 litre capacity|"
                "an oven-safe rating up to 260 °C",
                "slow-cooked stews|no-knead bread|braising short ribs",
            ),
            N(
                "Pour-Over Coffee Kettle",
                None,
                "brushed stainless steel|copper-plated steel",
                "a gooseneck spout for a precise pour|a built-in thermometer|"
                "an induction-ready base",
                "pour-over coffee|green tea at the right temperature|slow weekend mornings",
            ),
            N(
                "Bamboo Cutting Board",
                None,
                "FSC-certified bamboo|end-grain acacia",
                "a juice groove around the edge|non-slip silicone feet|a reversible design",
                "carving roasts|serving cheese|daily prep",
            ),
        ),
        care=(
            "Hand wash & dry immediately; oil lightly after use.",
            "Dishwasher safe; hand washing keeps the shine longer.",
        ),
        tags=("induction", "gift-idea", "chef-favourite"),
        price_range=(9, 299),
        variants=Variants(axes=(("Colour", ("Black", "Cherry Red", "Sage", "Cream")),)),
        praise=("Works beautifully and feels solid.", "Use it every single day."),
        complaints=("Heavier than I expected.", "Handle gets hot on the stove."),
    ),
    CategoryVocab(
        name="Electronics",
        slug="electronics",
        description="<p>Gadgets, audio and chargers.</p>",
        nouns=(
            N(
                "Wireless Earbuds",
                None,
                "recycled plastics|matte polycarbonate",
                "active noise cancellation|Bluetooth 5.3 with multipoint pairing|"
                "IPX4 sweat resistance|"
                "8 hours of playback plus 24 in the case",
                "commuting on noisy trains|running|calls while working from home",
            ),
            N(
                "Bluetooth Speaker",
                None,
                "anodised aluminium|woven fabric over a rubber frame",
                "IPX7 water resistance so it floats|30 hours of battery life|"
                "a stereo-pairing button",
                "beach days|showers|garden parties",
            ),
            N(
                "Power Bank 20,000 mAh",
                None,
                "anodised aluminium|recycled ABS",
                "fast charging over USB-C Power Delivery at 65 W|two USB-C ports and one USB-A|"
                "a battery-level display",
                "charging a laptop and phone at once|long flights|festivals without sockets",
            ),
            N(
                "Noise-Cancelling Headphones",
                None,
                "memory foam and protein leather|lightweight aluminium",
                "adaptive noise cancellation|40 hours of battery life|"
                "a foldable design with a hard case",
                "long flights|focus in an open-plan office|late-night listening",
            ),
            N(
                "E-Reader",
                None,
                "recycled plastics|soft-touch polymer",
                "a 6-inch glare-free display|a warm front light|weeks of battery life|"
                "IPX8 waterproofing",
                "reading on the beach|reading in the bath|travel with a whole library",
            ),
            N(
                "Action Camera",
                None,
                "aluminium alloy|rugged polycarbonate",
                "4K video at 60 fps with stabilisation|waterproofing to 10 m without a case|"
                "voice control",
                "filming mountain-bike rides|snorkelling|ski runs",
            ),
            N(
                "Smart Plug",
                None,
                "fire-retardant polycarbonate|recycled plastics",
                "energy monitoring in the app|schedules and timers|voice-assistant support",
                "automating lights at home|switching off standby power|holiday lighting",
            ),
        ),
        care=(
            "Keep firmware up to date through the companion app.",
            "Charge fully before first use.",
        ),
        tags=("wireless", "usb-c", "travel", "new"),
        price_range=(15, 449),
        praise=("Battery easily lasts a week.", "Simple to set up and works reliably."),
        complaints=("Connection drops now and then.", "The app needs an account."),
    ),
    CategoryVocab(
        name="Toys",
        slug="toys",
        description="<p>Toys and games for all ages.</p>",
        nouns=(
            N(
                "Wooden Building Blocks",
                None,
                "solid beech wood|FSC-certified maple",
                "100 pieces in a canvas storage bag|rounded edges safe for toddlers|"
                "non-toxic water-based paint",
                "early STEM learning|rainy afternoons|first birthday presents",
            ),
            N(
                "Remote Control Car",
                None,
                "impact-resistant ABS|aluminium chassis",
                "a rechargeable battery with 40 minutes of play|four-wheel drive|"
                "a top speed of 25 km/h",
                "backyard races|birthday presents for ages 8 and up|off-road fun in the park",
            ),
            N(
                "Plush Fox",
                None,
                "soft recycled plush|organic cotton velour",
                "embroidered eyes safe for babies|a machine-washable body|a height of 30 cm",
                "bedtime cuddles|a newborn gift|car journeys",
            ),
            N(
                "Marble Run",
                None,
                "beech wood|transparent BPA-free plastic",
                "110 pieces that combine in endless layouts|a spiral funnel and a marble lift|"
                "EN 71 safety certification",
                "learning cause and effect|family building sessions|rainy afternoons",
            ),
            N(
                "Jigsaw Puzzle 1000 Pieces",
                None,
                "recycled board|premium linen-finish card",
                "a poster of the finished picture|pieces cut so each one is unique|"
                "a finished size of 68 × 48 cm",
                "quiet evenings|family holidays|mindful breaks",
            ),
            N(
                "Board Game",
                None,
                "recycled card|wooden playing pieces",
                "rules for 2 to 6 players|games that last about 45 minutes|a cooperative mode",
                "family game night|parties with friends|teaching kids strategy",
            ),
            N(
                "Kite",
                None,
                "ripstop nylon|fibreglass spars",
                "a sturdy spool and 30 m line|a stable delta design that flies in light wind|"
                "a carry bag",
                "beach days|windy afternoons in the park|first flights for kids",
            ),
        ),
        care=("Wipe clean with a damp cloth.", "Surface wash only."),
        tags=("ages-3-plus", "educational", "gift-idea", "family"),
        price_range=(7, 129),
        praise=("My kids play with it every day.", "Beautifully made and sturdy."),
        complaints=("Some pieces were missing.", "Batteries are not included."),
    ),
    CategoryVocab(
        name="Beauty",
        slug="beauty",
        description="<p>Skin care, hair care and fragrance.</p>",
        nouns=(
            N(
                "Hydrating Face Serum",
                None,
                "hyaluronic acid and niacinamide|squalane and vitamin C",
                "a fragrance-free formula for sensitive skin|a refillable glass dropper bottle|"
                "a lightweight texture that absorbs fast",
                "dry winter skin|a morning routine under sunscreen|plumping fine lines",
            ),
            N(
                "Mineral Sunscreen SPF 50",
                None,
                "non-nano zinc oxide|zinc oxide and titanium dioxide",
                "reef-safe filters|no white cast on most skin tones|80 minutes of water resistance",
                "daily sun protection|beach holidays|outdoor sports",
            ),
            N(
                "Solid Shampoo Bar",
                None,
                "coconut-derived cleansers and shea butter|rosemary and nettle extracts",
                "a plastic-free cardboard wrap|up to 80 washes per bar|"
                "a vegan and cruelty-free formula",
                "travelling without liquids|reducing bathroom plastic|oily scalps",
            ),
            N(
                "Rose Hand Cream",
                None,
                "shea butter and rosehip oil|glycerin and cocoa butter",
                "a non-greasy finish|a recyclable aluminium tube|a delicate scent of Damask rose",
                "chapped hands in winter|a handbag essential|gardeners' dry skin",
            ),
            N(
                "Clay Face Mask",
                None,
                "French green clay|kaolin and charcoal",
                "a ten-minute treatment|a formula that draws out impurities|"
                "a glass jar with an aluminium lid",
                "an evening self-care routine|oily and combination skin|pre-party glow",
            ),
            N(
                "Eau de Parfum",
                None,
                "natural essential oils|organic grain alcohol",
                "notes of bergamot, vetiver and cedar|8 hours of longevity|a refillable bottle",
                "a signature scent for special occasions|evening dates|gifting",
            ),
        ),
        care=("Store below 25 °C away from direct sunlight.", "Use within 12 months of opening."),
        tags=("vegan", "cruelty-free", "sensitive-skin", "plastic-free"),
        price_range=(5, 129),
        praise=("My skin feels soft all day.", "Lovely texture and a little goes a long way."),
        complaints=("Scent is stronger than I like.", "Small for the price."),
    ),
    CategoryVocab(
        name="Home",
        slug="home",
        description="<p>Furnishings and décor.</p>",
        nouns=(
            N(
                "Linen Duvet Cover",
                None,
                "stonewashed European linen|linen-cotton blend",
                "hidden button fastening|OEKO-TEX certified dyes|"
                "corner ties that keep the duvet in place",
                "guest bedrooms|hot sleepers in summer|Scandinavian-style interiors",
            ),
            N(
                "Scented Soy Candle",
                None,
                "hand-poured soy wax|coconut and soy wax",
                "a 45-hour burn time|a crackling wooden wick|a scent of fig and cedarwood",
                "cosy reading corners|a calm bath|housewarming gifts",
            ),
            N(
                "Wool Throw Blanket",
                None,
                "lambswool|recycled wool",
                "a hand-knotted fringe|a herringbone weave|a generous 130 × 180 cm size",
                "movie nights on the sofa|chilly bedrooms|picnics in autumn",
            ),
            N(
                "Ceramic Table Lamp",
                None,
                "glazed stoneware|hand-thrown ceramic",
                "a linen shade|a warm 2700 K bulb included|an inline dimmer switch",
                "bedside reading|a calm living room|home offices",
            ),
            N(
                "Oak Wall Shelf",
                None,
                "solid oak|oiled oak veneer",
                "hidden wall brackets rated to 20 kg|a 60 cm length|a natural oil finish",
                "displaying plants|small bathrooms|kitchen spice jars",
            ),
        ),
        care=(
            "Wash at 40 °C; linen softens with every wash.",
            "Trim the wick to 5 mm before each burn.",
        ),
        tags=("cosy", "handmade", "natural", "gift-idea"),
        price_range=(12, 399),
        praise=("Looks even better in person.", "Great quality for the money."),
        complaints=("Took a while to arrive.", "Slightly different shade than expected."),
    ),
    CategoryVocab(
        name="Sports",
        slug="sports",
        description="<p>Training and fitness gear.</p>",
        nouns=(
            N(
                "Yoga Mat",
                None,
                "natural tree rubber|latex-free TPE",
                "a 6 mm cushioned surface with alignment lines|a grippy surface even when sweaty|"
                "a carry strap",
                "hot yoga|pilates at home|stretching after runs",
            ),
            N(
                "Adjustable Dumbbell",
                None,
                "cast iron plates|steel with a rubber coating",
                "weights from 2 to 24 kg in one dumbbell|a dial that changes weight in seconds|"
                "a storage tray",
                "home strength training|small flats without space for a rack|progressive overload",
            ),
            N(
                "Road Bike Helmet",
                None,
                "in-mould polycarbonate and EPS foam|lightweight EPS with a carbon cage",
                "MIPS rotational impact protection|18 ventilation channels|a magnetic buckle",
                "road cycling|commuting by bike|long summer sportives",
            ),
            N(
                "Resistance Band Set",
                None,
                "natural latex|fabric-covered latex",
                "five colour-coded resistance levels|door anchor and ankle straps|a travel pouch",
                "physio rehab|hotel-room workouts|warm-ups",
            ),
            N(
                "Swim Goggles",
                None,
                "silicone and polycarbonate|hypoallergenic silicone",
                "anti-fog lenses with UV protection|a split strap that does not slip|"
                "mirrored lenses against glare",
                "open-water swimming|pool training|triathlons",
            ),
            N(
                "Jump Rope",
                None,
                "PVC-coated steel cable|aluminium handles",
                "ball-bearing handles for fast rotations|an adjustable 3 m cable|foam grips",
                "HIIT workouts|boxing conditioning|warm-ups at the gym",
            ),
        ),
        care=("Wipe down after each session with mild soap.", "Rinse in fresh water after use."),
        tags=("home-gym", "fitness", "cycling", "swimming"),
        price_range=(8, 399),
        praise=("Does exactly what I need for training.", "Solid build, no complaints."),
        complaints=("Smells of rubber for the first week.", "Feels a bit flimsy."),
    ),
    CategoryVocab(
        name="Garden",
        slug="garden",
        description="<p>Tools and supplies for the garden.</p>",
        nouns=(
            N(
                "Pruning Shears",
                None,
                "hardened carbon steel|stainless steel with aluminium handles",
                "a bypass blade that cuts branches up to 20 mm|a safety catch|a replaceable spring",
                "autumn pruning|deadheading roses|shaping shrubs",
            ),
            N(
                "Raised Bed Planter",
                None,
                "untreated larch wood|galvanised steel",
                "drainage holes and a weed-proof liner|a height of 80 cm that spares your back|"
                "tool-free assembly",
                "growing vegetables|balcony gardens|accessible gardening",
            ),
            N(
                "Watering Can 10 L",
                None,
                "galvanised zinc|recycled polypropylene",
                "a long rose spout for a gentle shower|a balanced two-handle design|"
                "a removable brass rose",
                "seedlings in the greenhouse|balcony pots|hanging baskets",
            ),
            N(
                "Heirloom Tomato Seeds",
                None,
                "open-pollinated organic seed|hand-saved seed",
                "a mix of five varieties including Brandywine and Black Krim|"
                "a germination rate above 85%|"
                "a sowing guide on the packet",
                "grow-your-own beginners|greenhouse growing|sunny patios",
            ),
            N(
                "Bird Feeder",
                None,
                "powder-coated steel|recycled plastic and metal",
                "a squirrel-proof cage|four feeding ports|a removable base for easy cleaning",
                "feeding garden birds through winter|bird-watching from the kitchen|"
                "wildlife-friendly gardens",
            ),
            N(
                "Compost Bin",
                None,
                "recycled polypropylene|untreated larch wood",
                "a 300 litre capacity with a hatch at the bottom|"
                "ventilation slots for faster composting|a lockable lid",
                "kitchen-scrap composting|large gardens|reducing food waste",
            ),
        ),
        care=("Clean and oil the metal parts after use.", "Store in a dry shed over winter."),
        tags=("organic", "balcony", "wildlife", "grow-your-own"),
        price_range=(4, 249),
        praise=("Does the job perfectly in my garden.", "Sturdy and well designed."),
        complaints=("Assembly instructions were confusing.", "Arrived with a small dent."),
    ),
)

REVIEWERS = (
    "Anna",
    "Zoë",
    "José",
    "Søren",
    "Marta",
    "李雷",
    "Chidi",
    "Élodie",
    "Priya",
    "Tomasz",
    "Ingrid",
    "Kenji",
    "Fatima",
    "Olu",
    "Björn",
    "Grace",
)

OPENERS = (
    "a favourite of our customers",
    "designed in-house and tested in the field",
    "our most versatile piece",
    "built to last for years",
    "a small-batch product",
    "the upgraded version of a classic",
)
