"""The last five categories of the generated store (toys, beauty, home, sports, garden):
their product kinds, materials, features, uses, care and reviews."""

from __future__ import annotations

from emulators.catalog.vocab import (
    CategoryVocab,
    N,
)

HOME_CATEGORIES: tuple[CategoryVocab, ...] = (
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
