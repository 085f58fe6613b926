"""Word lists of the engine, folded (no accents, lower case). Phrases are space-separated; a trailing '*'
makes a prefix (stem) match on one token."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Intent lexicon, per language; a sentence is scored against all three (mixed-language sentences happen).
# Weights: 2 = the word names the need, 1 = a strong hint, 0.5 = context that often comes with the need.
INTENT_LEXICON: dict[str, dict[str, dict[str, float]]] = {
    "es": {
        "find_buyers": {
            "compradores": 2,
            "comprador": 2,
            "clientes": 2,
            "cliente": 1.5,
            "importadores": 2,
            "importador": 2,
            "distribuidores": 2,
            "distribuidor": 2,
            "mayoristas": 2,
            "mayorista": 2,
            "minoristas": 1.5,
            "quien compra": 2,
            "quien me compra": 2,
            "quien compraria": 2,
            "a quien vender": 2,
            "a quien le vendo": 2,
            "quienes compran": 2,
            "donde vender": 2,
            "vender*": 1.5,
            "venta": 1,
            "ventas": 1,
            "vendo": 1,
            "exportar a": 1,
            "exportar*": 1,
            "nuevos mercados": 1.5,
            "abrir mercado": 1.5,
            "demanda": 1,
            "contactos": 1,
            "socios comerciales": 1.5,
            "cadenas de supermercados": 1.5,
            "supermercados": 1,
            "grandes empresas": 1.5,
            "empresas ancla": 2,
            "proveedor de": 1,
            "ser proveedor": 2,
            "ser proveedores": 2,
            "licitaciones": 1.5,
            "compras publicas": 1.5,
        },
        "certifications": {
            "certificacion": 2,
            "certificaciones": 2,
            "certificado": 1.5,
            "certificados": 1.5,
            "certificar*": 2,
            "norma": 1.5,
            "normas": 1.5,
            "normativa": 1.5,
            "requisitos": 1.5,
            "requisito": 1.5,
            "requerimientos": 1.5,
            "estandar": 1.5,
            "estandares": 1.5,
            "sello": 1.5,
            "sellos": 1.5,
            "globalgap": 2.5,
            "global gap": 2.5,
            "haccp": 2.5,
            "brc": 2.5,
            "ifs": 2,
            "organico": 1,
            "organica": 1,
            "organicos": 1,
            "organicas": 1,
            "fairtrade": 2.5,
            "comercio justo": 2,
            "iso": 2,
            "kosher": 2.5,
            "halal": 2.5,
            "fda": 2,
            "fsma": 2.5,
            "registro sanitario": 2.5,
            "sanitario": 1,
            "fitosanitario": 2,
            "fitosanitarios": 2,
            "inocuidad": 2,
            "etiquetado": 1.5,
            "rainforest": 2,
            "buenas practicas": 1.5,
            "bpm": 2,
            "auditoria": 1.5,
            "permiso sanitario": 2.5,
            "senasa": 2,
            "invima": 2.5,
            "cofepris": 2.5,
            "usda": 2,
        },
        "rules_of_origin": {
            "arancel": 2.5,
            "aranceles": 2.5,
            "arancelaria": 2,
            "arancelario": 2,
            "tarifa": 1.5,
            "tarifas": 1.5,
            "tratado": 2,
            "tratados": 2,
            "tlc": 2.5,
            "acuerdo comercial": 2.5,
            "acuerdos comerciales": 2.5,
            "tratado de libre comercio": 3,
            "libre comercio": 2,
            "regla de origen": 4,
            "reglas de origen": 4,
            "normas de origen": 4,
            "norma de origen": 4,
            "requisitos de origen": 4,
            "requisito de origen": 4,
            "certificado de origen": 4,
            "origen preferencial": 4,
            "sin arancel": 3,
            "sin aranceles": 3,
            "libre de impuestos": 3,
            "libre de aranceles": 3,
            "preferencial": 2,
            "preferencia arancelaria": 3,
            "preferencias arancelarias": 3,
            "acumulacion": 2,
            "acumulacion de origen": 4,
            "derechos de aduana": 2.5,
            "impuestos de importacion": 2.5,
            "impuesto": 1,
            "impuestos": 1,
            "cuanto pago": 1.5,
            "cuanto paga": 1.5,
            "contenido regional": 3,
            "salto de partida": 3,
            "cambio de clasificacion": 2,
            "origen": 1,
            "desgravacion": 2.5,
            "cupo": 1.5,
            "cuota": 1,
        },
        "inputs": {
            "insumos": 2.5,
            "insumo": 2.5,
            "materia prima": 2.5,
            "materias primas": 2.5,
            "ingredientes": 2,
            "ingrediente": 2,
            "proveedores": 2,
            "proveedores de insumos": 3,
            "de que esta hecho": 3,
            "de que esta hecha": 3,
            "cadena de suministro": 2.5,
            "cadena de valor": 2,
            "cadena": 1,
            "importar*": 1,
            "importamos": 1,
            "abastecimiento": 2,
            "abastecer": 1.5,
            "componentes": 1.5,
            "empaques": 1.5,
            "envases": 1.5,
            "embalaje": 1.5,
            "maquinaria": 1.5,
            "materiales": 1.5,
            "donde compro": 2,
            "donde comprar": 2,
            "conseguir tela": 2,
            "proveeduria": 2,
        },
        "studies": {
            "estudio de mercado": 3.5,
            "estudios de mercado": 3.5,
            "estudio": 2,
            "estudios": 2,
            "informe": 2,
            "informes": 2,
            "reporte": 2,
            "reportes": 2,
            "analisis": 1.5,
            "inteligencia comercial": 3,
            "inteligencia de mercados": 3,
            "tendencias": 2,
            "tendencia": 2,
            "estadisticas": 2,
            "datos de mercado": 2.5,
            "perfil de mercado": 3,
            "ficha de mercado": 3,
            "investigacion de mercado": 3.5,
            "tamano del mercado": 3,
            "cuanto importa": 2,
            "cuanto se importa": 2,
            "cifras": 1.5,
            "benchmark": 2,
            "oportunidades": 1,
            "panorama": 1.5,
            "competidores": 1.5,
            "competencia": 1,
        },
        "financing": {
            "financiamiento": 3,
            "financiacion": 3,
            "financiar*": 2.5,
            "credito": 2.5,
            "creditos": 2.5,
            "prestamo": 2.5,
            "prestamos": 2.5,
            "fondos": 2,
            "fondo": 1.5,
            "subsidio": 2.5,
            "subsidios": 2.5,
            "subvencion": 2.5,
            "programa de apoyo": 2.5,
            "programas de apoyo": 2.5,
            "capital de trabajo": 3,
            "inversion": 1.5,
            "inversionistas": 2,
            "factoring": 3,
            "garantia": 1.5,
            "garantias": 1.5,
            "capital semilla": 3,
            "cofinanciamiento": 3,
            "convocatoria": 2,
            "apoyo economico": 2.5,
            "dinero": 1.5,
            "banco": 1.5,
            "bancoldex": 3,
            "procolombia": 1,
            "corfo": 2.5,
            "nafin": 3,
        },
    },
    "pt": {
        "find_buyers": {
            "compradores": 2,
            "comprador": 2,
            "clientes": 2,
            "importadores": 2,
            "distribuidores": 2,
            "atacadistas": 2,
            "quem compra": 2,
            "para quem vender": 2,
            "onde vender": 2,
            "vender*": 1.5,
            "venda": 1,
            "vendas": 1,
            "exportar para": 1,
            "exportar*": 1,
            "novos mercados": 1.5,
            "parceiros comerciais": 1.5,
            "grandes empresas": 1.5,
            "ser fornecedor": 2,
            "ser fornecedores": 2,
            "redes de supermercados": 1.5,
        },
        "certifications": {
            "certificacao": 2,
            "certificacoes": 2,
            "certificado": 1.5,
            "certificados": 1.5,
            "certificar*": 2,
            "norma": 1.5,
            "normas": 1.5,
            "requisitos": 1.5,
            "requisito": 1.5,
            "exigencias": 1.5,
            "padrao": 1.5,
            "padroes": 1.5,
            "selo": 1.5,
            "selos": 1.5,
            "organico": 1,
            "organica": 1,
            "organicos": 1,
            "registro sanitario": 2.5,
            "anvisa": 2.5,
            "mapa": 0.5,
            "rotulagem": 1.5,
            "boas praticas": 1.5,
            "comercio justo": 2,
            "fitossanitario": 2,
            "fitossanitarios": 2,
            "auditoria": 1.5,
        },
        "rules_of_origin": {
            "tarifa": 1.5,
            "tarifas": 1.5,
            "tarifaria": 2,
            "tratado": 2,
            "tratados": 2,
            "acordo comercial": 2.5,
            "acordos comerciais": 2.5,
            "livre comercio": 2,
            "regra de origem": 4,
            "regras de origem": 4,
            "certificado de origem": 4,
            "sem tarifa": 3,
            "sem tarifas": 3,
            "isento de impostos": 3,
            "isencao": 2,
            "preferencial": 2,
            "preferencia tarifaria": 3,
            "imposto de importacao": 2.5,
            "impostos de importacao": 2.5,
            "imposto": 1,
            "impostos": 1,
            "aliquota": 2.5,
            "aliquotas": 2.5,
            "origem": 1,
            "cota": 1.5,
            "quanto pago": 1.5,
        },
        "inputs": {
            "insumos": 2.5,
            "insumo": 2.5,
            "materia-prima": 2.5,
            "materias-primas": 2.5,
            "materia prima": 2.5,
            "materias primas": 2.5,
            "ingredientes": 2,
            "fornecedores": 2,
            "fornecedor": 1.5,
            "cadeia de suprimentos": 2.5,
            "cadeia produtiva": 2,
            "cadeia": 1,
            "importar*": 1,
            "importamos": 1,
            "de que e feito": 3,
            "embalagens": 1.5,
            "componentes": 1.5,
            "maquinario": 1.5,
            "onde comprar": 2,
        },
        "studies": {
            "estudo de mercado": 3.5,
            "estudos de mercado": 3.5,
            "estudo": 2,
            "estudos": 2,
            "relatorio": 2,
            "relatorios": 2,
            "pesquisa de mercado": 3.5,
            "pesquisa": 1.5,
            "inteligencia comercial": 3,
            "inteligencia de mercado": 3,
            "tendencias": 2,
            "tendencia": 2,
            "estatisticas": 2,
            "dados de mercado": 2.5,
            "perfil de mercado": 3,
            "analise": 1.5,
            "concorrentes": 1.5,
            "oportunidades": 1,
        },
        "financing": {
            "financiamento": 3,
            "financiar*": 2.5,
            "credito": 2.5,
            "creditos": 2.5,
            "emprestimo": 2.5,
            "emprestimos": 2.5,
            "fundos": 2,
            "fundo": 1.5,
            "subsidio": 2.5,
            "subsidios": 2.5,
            "subvencao": 2.5,
            "programa de apoio": 2.5,
            "programas de apoio": 2.5,
            "capital de giro": 3,
            "investimento": 1.5,
            "investidores": 2,
            "bndes": 3,
            "apex": 1,
            "edital": 2,
            "dinheiro": 1.5,
            "banco": 1.5,
        },
    },
    "en": {
        "find_buyers": {
            "buyers": 2,
            "buyer": 2,
            "customers": 2,
            "customer": 1.5,
            "clients": 2,
            "importers": 2,
            "importer": 2,
            "distributors": 2,
            "distributor": 2,
            "wholesalers": 2,
            "retailers": 1.5,
            "who buys": 2,
            "who would buy": 2,
            "who can buy": 2,
            "where to sell": 2,
            "sell*": 1.5,
            "sales": 1,
            "export to": 1,
            "exporting to": 1,
            "export": 1,
            "exporting": 1,
            "new markets": 1.5,
            "leads": 1.5,
            "trade partners": 1.5,
            "supply chains of": 1,
            "become a supplier": 2,
            "be a supplier": 2,
            "procurement": 1.5,
            "tenders": 1.5,
            "demand": 1,
        },
        "certifications": {
            "certification": 2,
            "certifications": 2,
            "certificate": 1.5,
            "certificates": 1.5,
            "certify": 2,
            "certified": 1.5,
            "standard": 1.5,
            "standards": 1.5,
            "requirements": 1.5,
            "requirement": 1.5,
            "regulations": 1.5,
            "compliance": 1.5,
            "label": 1,
            "labelling": 1.5,
            "labeling": 1.5,
            "globalgap": 2.5,
            "haccp": 2.5,
            "brc": 2.5,
            "organic": 1,
            "fairtrade": 2.5,
            "fair trade": 2,
            "iso": 2,
            "kosher": 2.5,
            "halal": 2.5,
            "fda": 2,
            "fsma": 2.5,
            "food safety": 2,
            "sanitary": 1.5,
            "phytosanitary": 2,
            "audit": 1.5,
            "permit": 1.5,
            "permits": 1.5,
        },
        "rules_of_origin": {
            "tariff": 2.5,
            "tariffs": 2.5,
            "duty": 2,
            "duties": 2,
            "duty-free": 3,
            "duty free": 3,
            "trade agreement": 2.5,
            "trade agreements": 2.5,
            "free trade agreement": 3,
            "fta": 2.5,
            "treaty": 2,
            "rule of origin": 4,
            "rules of origin": 4,
            "certificate of origin": 4,
            "preferential": 2,
            "preference": 1,
            "tariff-free": 3,
            "tax-free": 2.5,
            "import tax": 2.5,
            "import taxes": 2.5,
            "cumulation": 2.5,
            "regional value content": 3,
            "tariff shift": 3,
            "origin": 1,
            "quota": 1.5,
        },
        "inputs": {
            "inputs": 2.5,
            "input": 2,
            "raw material": 2.5,
            "raw materials": 2.5,
            "ingredients": 2,
            "ingredient": 2,
            "suppliers": 2,
            "supplier of": 1,
            "supply chain": 2.5,
            "value chain": 2,
            "sourcing": 2,
            "source": 1,
            "what is it made of": 3,
            "made of": 1,
            "components": 1.5,
            "packaging": 1.5,
            "machinery": 1.5,
            "materials": 1.5,
            "where to buy": 2,
            "import*": 1,
        },
        "studies": {
            "market study": 3.5,
            "market studies": 3.5,
            "market research": 3.5,
            "study": 2,
            "studies": 2,
            "report": 2,
            "reports": 2,
            "market intelligence": 3,
            "trade intelligence": 3,
            "trends": 2,
            "trend": 2,
            "statistics": 2,
            "market data": 2.5,
            "market size": 3,
            "market profile": 3,
            "analysis": 1.5,
            "insights": 2,
            "competitors": 1.5,
            "opportunities": 1,
            "outlook": 1.5,
        },
        "financing": {
            "financing": 3,
            "finance": 2.5,
            "funding": 3,
            "fund": 1.5,
            "funds": 2,
            "credit": 2.5,
            "loan": 2.5,
            "loans": 2.5,
            "grant": 2.5,
            "grants": 2.5,
            "subsidy": 2.5,
            "subsidies": 2.5,
            "support program": 2.5,
            "support programme": 2.5,
            "working capital": 3,
            "investment": 1.5,
            "investors": 2,
            "factoring": 3,
            "money": 1.5,
            "bank": 1.5,
        },
    },
}

NEGATIONS = _words("no ni sin nao nem sem not without dont don't never nunca jamas")
WANT_VERBS = _words(
    "necesito necesitamos quiero queremos busco buscamos interesa interesan preciso precisamos quero "
    "need want looking interested require requerimos requiero"
)

ARTICLES = _words("el la los las lo un una unos unas o os as um uma uns umas the an")
# Prepositions that put the place where the goods go.
DEST_PREPS = _words("a al hacia para pra pro pros pras to into towards toward ao aos destino for")
# Prepositions of where something is or comes from.
FROM_PREPS = _words("de del desde da do das dos from of")
IN_PREPS = _words("en in em no na nos nas at dentro within")
SOURCE_PREPS = _words("desde from")
CONJUNCTIONS = _words("y e and o ou or ni &")
CONNECTORS = _words("de del da do das dos of con com with sin sem without")

# Words that make a following "de/en/in/from X" a market (destination): "compradores en", "mercado de".
MARKET_WORDS = _words(
    "mercado mercados market markets compradores comprador clientes cliente buyers buyer customers customer "
    "clients client importadores importador importers importer distribuidores distribuidor distributors "
    "distributor consumidores consumer consumers mayoristas wholesalers minoristas retailers supermercados "
    "supermarkets tiendas stores cadenas chains vender venderle venderles vendo venta ventas vendas venda "
    "sell selling sales exportar exportarle exportamos exporto export exporting exports exportacion "
    "exportaciones exportacao exportacoes exportar entrar ingresar enter llegar chegar abrir expandir "
    "expand ferias feiras fairs demanda demand pedidos orders compras procurement atacadistas varejistas "
    "requisitos requerimientos exigencias normas normativa regulaciones reglas aranceles arancel tarifas "
    "tarifa impuestos barreras requirements regulations rules standards tariffs tariff duties regras "
    "exigencias licitaciones tenders consumo estudio estudo study informe report perfil profile "
    "trends tendencias tendencia demand"
)
# Verbs among the market words: a nationality right after them qualifies the product ("sell Peruvian
# asparagus"), not the market.
MARKET_VERBS = _words(
    "vender venderle venderles vendo sell selling exportar exportarle exportamos exporto export exporting "
    "entrar ingresar enter llegar chegar abrir expandir expand"
)
# Words whose country after "con/com/with" is a trade partner: "TLC con Corea".
AGREEMENT_WORDS = _words("tlc tratado acuerdo acuerdos acordo acordos agreement agreements fta treaty tratados")
# Words after an English place name that make it a market: "the German market", "Japan buyers".
MARKET_AFTER = _words(
    "market markets buyers customers importers consumers distributors retailers clients mercado mercados "
    "compradores clientes importadores consumidores"
)
# Materials and inputs: "tela de Pakistán", "insumos de China" make the place a supplier of inputs.
INPUT_NOUNS = _words(
    "insumos insumo materia materias prima primas materia-prima materias-primas ingredientes ingrediente "
    "tela telas hilo hilos hilado hilados fibra fibras componentes componente piezas partes materiales "
    "empaques envases tecido tecidos fio fios embalagens inputs input raw fabric fabrics yarn yarns components "
    "parts ingredients materials semillas sementes seeds maquinaria machinery maquinario pieles hides "
    "cueros couros packaging empaque embalaje embalagem"
)
# Who or what brings inputs in: "importamos hilo de India", "proveedores en China", "sourced from Peru".
INPUT_AGENTS = _words(
    "importamos importar importo importados importadas importada importado importa traemos traer compramos "
    "compro proveedores proveedor fornecedores fornecedor import imported importing imports suppliers "
    "supplier sourced sourcing source buy bought bring brings trazemos compramos adquirimos purchase "
    "purchased procure sources"
)
# Who buys: "quién compra", "who would buy it in Australia" make the place after them a market, not a supplier.
BUYER_WHO = _words("who quien quienes quem")
BUY_VERBS = _words("buy buys compra compran compraria comprarian compram compraria comprariam")
# The SME itself: a nationality next to these is where the SME is ("empresa mexicana", "Chilean winery").
COMPANY_WORDS = _words(
    "empresa empresas compania companhia marca cooperativa coop cooperative company companies brand brands "
    "productor productores productora produtor produtores fabricante fabricantes exportador exportadores "
    "exportadora exporter exporters grower growers producer producers farmer farmers farm farms finca fincas "
    "fazenda fazendas winery vinedo vinicola bodega roaster roastery brewery firm business startup pyme pymes "
    "mipyme emprendimiento negocio industria industry fabrica factory taller manufacturer manufacturers"
)
# Linking verbs: "mi empresa es peruana", "we are Peruvian", "somos colombianos".
PREDICATE_WORDS = _words("es somos soy son sou sao is are am we're were e")
# Possessives after a purpose word: "algodón egipcio para nuestras camisas" (an input of the SME's product).
POSSESSIVES = _words("nuestro nuestra nuestros nuestras mi mis nosso nossa nossos nossas meu minha meus minhas our my")
# Words before "en/in X" that make X the SME's own place: "producimos café en Huila", "estamos en Lima".
ORIGIN_WORDS = _words(
    "somos soy estamos estoy ubicados ubicada ubicado ubicadas localizados localizada situados basados "
    "radicados producimos produzco cultivamos fabricamos elaboramos confeccionamos tostamos cosechamos "
    "procesamos criamos tejemos produce producen cultiva cultivan fabrica elabora finca fincas planta "
    "plantas fabrica taller sede oficina oficinas granja hacienda cooperativa empresa sou fica ficamos "
    "produzimos cultivamos torramos fazenda fazendas sitio located based grow grows produce produces roast "
    "manufacture farm farms plant factory workshop office headquartered made hecho hecha hechos hechas feito "
    "feita nacimos nascemos originarios originario"
)

# Words that never belong to a product phrase (stop words, SME fluff, verbs of the trade).
FLUFF = _words(
    # es
    "el la los las lo un una unos unas y o u e ni que quien quienes cual cuales como donde cuando cuanto "
    "cuanta cuantos cuantas porque por para a al en con sin sobre entre hacia hasta desde segun "
    "mi mis tu tus su sus nuestro nuestra nuestros nuestras nos me le les se yo nosotros ellos usted "
    "este esta estos estas ese esa esos esas aquel es son somos soy estamos estoy esta estan fue ser estar "
    "hay tiene tienen tenemos tengo puedo podemos puede pueden podria quiero queremos quisiera quisieramos "
    "necesito necesitamos busco buscamos buscar buscando encontrar conseguir saber conocer obtener tener "
    "hacer hacemos hago producir producimos produzco fabricar fabricamos elaborar elaboramos confeccionar "
    "confeccionamos cultivar cultivamos cosechamos tostamos procesamos disenamos tejemos criamos "
    "desarrollamos ofrecemos produce producen cultiva cultivan fabrica fabrican elabora elaboran hace hacen "
    "paga pagan pago pagar pagamos cuesta cuestan costo necesita necesitan requiere requieren piden exigen "
    "vende venden exporta exportan ofrece ofrecen importa importan tiene tienen trabajamos trabaja "
    "desarrollamos ofrecemos vendemos vender vendo venderle exportar exportamos exporto importar importamos "
    "comercializamos distribuimos llegar entrar ingresar enviar ofrecer distribuir comercializar crecer "
    "tejer usar cumplir acceder abrir expandir ayuda ayudar ayudan apoyo informacion mas muy tambien solo "
    "ya ahora aqui alli bien mucho mucha muchos muchas otro otra otros otras todo toda todos todas cada "
    "empresa empresas compania pyme pymes mipyme negocio emprendimiento emprendimientos marca cooperativa "
    "asociacion productores productor productora fabrica finca fincas granja taller familia familiar "
    "pequena pequeno pequenas pequenos mediana mediano grande grandes nuevo nuevos nueva nuevas "
    "producto productos mercancia mercancias bienes servicio cosa cosas tipo tipos "
    "toneladas tonelada kilos kilo kg kgs contenedor contenedores mensual mensuales anual anuales ano anos "
    "mes meses semana semanas dia dias hola gracias favor quisiera pais paises region regiones zona ciudad "
    "exterior internacional internacionales mundo extranjero afuera fuera exportacion exportaciones "
    "mercado mercados ventas venta compradores comprador clientes cliente "
    # pt
    "os as um uma uns umas ou nem quem qual quais onde quando quanto quanta porque pelo pela pelos pelas "
    "ao aos no na nos nas do da dos das em com sem sobre ate pra meu minha meus minhas nosso nossa nossos "
    "nossas seu sua seus suas eu nos voce voces ele eles isso isto esse essa este sao sou estamos estou "
    "temos tenho posso podemos pode quero queremos precisamos preciso procuramos procuro encontrar "
    "saber conhecer obter ter fazer fazemos produzir produzimos fabricamos cultivamos torramos criamos "
    "produz produzem cultiva fabrica vende exporta oferece trabalhamos desenvolvemos oferecemos "
    "comercializamos vendemos exportamos importamos chegar enviar oferecer "
    "distribuir crescer ajuda ajudar apoio informacao informacoes mais muito tambem so ja agora aqui "
    "companhia negocio fazenda fazendas sitio familia pequena pequeno media grande grandes novo novos "
    "nova novas produto produtos mercadoria mercadorias servico coisa coisas toneladas quilos contineres "
    "conteiner mensal anual mes meses semana ola obrigado obrigada pais paises regiao cidade exterior "
    "internacional mundo mercado mercados vendas compradores clientes "
    # en
    "the a an and or nor of in on at to into from by for with without about between toward towards "
    "i we you they he she it my our your their me us them this that these those is are am was were be "
    "been being do does did have has had can could would should will shall may might must want wants "
    "need needs looking look find finding get getting know learn help who which what where when how why "
    "make makes made produce produces grow grows roast roasts manufacture process design develop offer "
    "sell sells selling export exports exporting import importing ship reach enter distribute expand "
    "company companies business firm brand cooperative farm farms family small medium large big new "
    "product products goods service services thing things tons tonnes kg kilos container containers "
    "monthly yearly annual year years month months week hello hi thanks please country countries region "
    "city abroad international world overseas market markets sales buyers customers clients also very "
    "more most just only now here there some any all each every other others such so too"
)
# A conjunct made only of these does not stand alone as a product: "café tostado y molido".
MODIFIERS = _words(
    "tostado tostada tostados molido molida molidos fresco fresca frescos frescas congelado congelada "
    "congelados congeladas seco seca secos secas deshidratado deshidratados natural naturales premium "
    "artesanal artesanales procesado procesados entero enteros blanco blanca blancos negro negra negros "
    "rojo roja verde verdes amarillo azul torrado moido fresca congelado congelados seco secos natural "
    "roasted ground fresh frozen dried dry whole natural processed black white red green raw crudo crudos "
    "cru pelado pelados organico organica organicos organicas organic especial especiales gourmet"
)
# Materials that a bare first conjunct inherits: "camisetas y pantalones de algodón".
MATERIALS = _words(
    "algodon lana seda cuero lino poliester alpaca vicuna cashmere algodao la couro linho poliester "
    "cotton wool silk leather linen polyester denim mezclilla jean bambu bamboo"
)

SECTOR_KEYWORDS: dict[str, frozenset[str]] = {
    "ict": _words(
        "software apps app aplicaciones aplicacion aplicativos aplicativo saas tic tecnologia tecnologias "
        "technology digital plataforma plataformas platform cloud nube ciberseguridad cybersecurity "
        "web programacion programming erp crm fintech "
        "videojuegos videogames games hardware computadores computadoras computers servidores servers "
        "telecomunicaciones telecom iot blockchain"
    ),
    "food_beverage": _words(
        "cafe coffee cacao cocoa cacau chocolate chocolates fruta frutas fruit fruits fruta palta paltas aguacate "
        "aguacates abacate avocado avocados mango mangos manga banano bananos banana bananas platano quinua quinoa "
        "vino vinos wine wines vinho cerveza cervezas beer cerveja pisco tequila mezcal cachaca miel mel honey acai "
        "castanha castanhas nueces nuts almendras carne carnes beef meat pescado fish peixe camaron camarones "
        "shrimp salmon arandanos blueberries uvas grapes uva cerezas cherries esparragos asparagus alimentos "
        "alimento food foods bebidas bebida beverages drinks jugo jugos juice suco sucos pulpa azucar sugar acucar "
        "snacks salsa salsas queso quesos cheese leche milk lacteos dairy aceite oil especias spices tea cha "
        "limon limones lemon lime limones pina pineapple abacaxi maracuya passion granos grains arroz rice frijol "
        "feijao beans maiz corn milho harina flour pan pasta galletas cookies dulces candy mermelada helado "
        "aji chile chiles pimienta condimentos hortalizas verduras vegetables legumbres papa papas potato "
        "cebolla alcachofa alcachofas berries frutos mariscos seafood pollo chicken cerdo pork carne-de-res"
    ),
    "textiles": _words(
        "tela telas fabric fabrics hilo hilos hilado hilados yarn yarns fibra fibras fiber fibres fibers textil "
        "textiles textile tejido tejidos tecido tecidos fio fios algodon cotton algodao lana wool seda silk lino "
        "linen alpaca denim mezclilla"
    ),
    "clothing_fashion": _words(
        "ropa prendas prenda camisetas camiseta camisas camisa pantalones pantalon jeans vestidos vestido moda "
        "fashion calzado zapatos zapatillas sandalias bolsos bolso carteras cartera billeteras joyeria bisuteria "
        "accesorios confeccion confecciones clothing clothes apparel garments shoes sneakers bags handbags "
        "jewelry jewellery t-shirts t-shirt shirts dresses roupa roupas vestuario confeccao confeccoes calcados "
        "sapatos bolsas biquini biquinis bikini bikinis praia chompas chompa sueteres sweaters sombreros hats "
        "gorras caps lenceria ropa-interior underwear uniformes uniforms chaquetas jackets abrigos"
    ),
}
