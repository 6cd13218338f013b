"""The first five categories of the generated store (apparel, shoes, outdoor, kitchen,
electronics): their product kinds, materials, features, uses, care and reviews."""

from __future__ import annotations

from emulators.catalog.vocab import (
    APPAREL_SIZES,
    COLOURS,
    SHOE_SIZES,
    CategoryVocab,
    N,
    Variants,
)

GEAR_CATEGORIES: tuple[CategoryVocab, ...] = (
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
)
