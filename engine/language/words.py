"""The languages the assistant has templates for, and the function words that tell them apart.

Function words (articles, pronouns, auxiliaries, question words, a few shop verbs) rather
than content words: product titles are mostly nouns and adjectives, so a question naming an
English product title still shows its own language here. Words two languages share ("a",
"de", "la", "que", "in", "come", "do") are left out or kept only where they are rare in
the other language's questions.
"""

from __future__ import annotations

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "it", "pt")

_WORDS: dict[str, str] = {
    "en": """
        the is are was were do does did you your yours i i'm me my we our it it's its this
        that these those what which who how much many when where why can could would should
        will have has got any some there about with for and or but not don't doesn't than
        of to sell carry stock price cost costs available buy looking need want please thanks
        hi hello
    """,
    "es": """
        el los las lo le les un una unos unas es son está están estoy tienen tiene tienes
        hay qué cuál cuánto cuánta cuántos cuesta cuestan cuándo dónde cómo por para con
        sin pero y o mi mis su sus tu tus yo usted ustedes me te se nos este esta esto estos
        estas ese esa eso del al muy más también busco buscando venden vende quiero puedo
        puede precio envío gracias hola sí tallas colores
    """,
    "fr": """
        le les un une des du au aux est sont c'est vous nous je j' l' d' qu' il elle ils
        elles ce cet cette ces mon ma mes votre vos notre nos quel quelle quels quelles
        combien quand où comment pourquoi avec sans pour pas ne n' et ou mais aussi très
        cherche avez avoir vendez coûte coûtent prix livraison commande merci bonjour oui
        est-ce moment
    """,
    "de": """
        der die das den dem des ein eine einen einem einer ist sind war ich du sie wir ihr
        es mein meine mich mir dein ihre ihren unser dieser diese dieses diesen was wie wo
        wann warum welche welcher welches wieviel viel kann können könnte möchte habe haben
        gibt mit ohne für und oder aber nicht kein keine auch sehr noch nur suche
        führen kostet kosten artikel lager versand bestellung danke hallo ja sofort wenn er
    """,
    "it": """
        il lo gli un uno una è sono sei siamo ho hai ha abbiamo avete hanno questo questa
        questi queste quello quella che cosa quale quali quanto quanta quanti quando dove
        perché con senza per non e ma anche molto più mio mia miei tuo vostro nostro cerco
        vendete costa costano prezzo disponibile disponibili spedizione ordine grazie ciao
        sì articolo l' c' dell' un' posso puoi può mi ti ci
    """,
    "pt": """
        o os as um uma uns umas é são está estão estou tem têm vocês você eu meu minha meus
        seu sua seus nosso nossa isto isso este esta esse essa qual quais quanto quanta
        quantos quando onde como por que porque com sem para não e mas também muito mais
        procurando procuro vendem custa custam preço frete pedido obrigado obrigada olá sim
        estoque disponível disponíveis disto desse dessa nesse meu cores tamanhos em
    """,
}

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split()) for language, words in _WORDS.items()
}
