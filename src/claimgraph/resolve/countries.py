"""Country facts the registry and the gazetteer share: demonyms and names to ISO 3166-1 alpha-2.

Demonyms name the state groups ("Russian state") and let descriptors such as "Russian state-run
media" resolve to a group without naming an outlet. Written from general knowledge.
"""

from __future__ import annotations

# ISO alpha-2 -> demonym used in group names and matched in descriptors.
DEMONYMS: dict[str, str] = {
    "AF": "Afghan", "AL": "Albanian", "DZ": "Algerian", "AO": "Angolan", "AR": "Argentine",
    "AM": "Armenian", "AU": "Australian", "AT": "Austrian", "AZ": "Azerbaijani", "BH": "Bahraini",
    "BD": "Bangladeshi", "BY": "Belarusian", "BE": "Belgian", "BJ": "Beninese", "BT": "Bhutanese",
    "BO": "Bolivian", "BA": "Bosnian", "BW": "Botswanan", "BR": "Brazilian", "BN": "Bruneian",
    "BG": "Bulgarian", "BF": "Burkinabe", "BI": "Burundian", "KH": "Cambodian", "CM": "Cameroonian",
    "CA": "Canadian", "CF": "Central African", "TD": "Chadian", "CL": "Chilean", "CN": "Chinese",
    "CO": "Colombian", "CG": "Congolese", "CD": "Congolese (DRC)", "CR": "Costa Rican", "HR": "Croatian",
    "CU": "Cuban", "CY": "Cypriot", "CZ": "Czech", "CI": "Ivorian", "DK": "Danish", "DJ": "Djiboutian",
    "DO": "Dominican", "EC": "Ecuadorian", "EG": "Egyptian", "SV": "Salvadoran", "ER": "Eritrean",
    "EE": "Estonian", "ET": "Ethiopian", "FI": "Finnish", "FR": "French", "GA": "Gabonese",
    "GE": "Georgian", "DE": "German", "GH": "Ghanaian", "GR": "Greek", "GT": "Guatemalan",
    "HT": "Haitian", "HN": "Honduran", "HK": "Hong Kong", "HU": "Hungarian", "IS": "Icelandic",
    "IN": "Indian", "ID": "Indonesian", "IR": "Iranian", "IQ": "Iraqi", "IE": "Irish", "IL": "Israeli",
    "IT": "Italian", "JM": "Jamaican", "JP": "Japanese", "JO": "Jordanian", "KZ": "Kazakh",
    "KE": "Kenyan", "KW": "Kuwaiti", "LA": "Lao", "LV": "Latvian", "LB": "Lebanese", "LS": "Basotho",
    "LR": "Liberian", "LY": "Libyan", "LI": "Liechtenstein", "LT": "Lithuanian", "MO": "Macanese",
    "MG": "Malagasy", "MW": "Malawian", "MY": "Malaysian", "MT": "Maltese", "MR": "Mauritanian",
    "MX": "Mexican", "MD": "Moldovan", "MN": "Mongolian", "ME": "Montenegrin", "MA": "Moroccan",
    "MZ": "Mozambican", "MM": "Myanmar", "NA": "Namibian", "NP": "Nepali", "NL": "Dutch",
    "NZ": "New Zealand", "NI": "Nicaraguan", "NE": "Nigerien", "NG": "Nigerian", "KP": "North Korean",
    "MK": "North Macedonian", "NO": "Norwegian", "OM": "Omani", "PK": "Pakistani", "PS": "Palestinian",
    "PA": "Panamanian", "PY": "Paraguayan", "PE": "Peruvian", "PH": "Philippine", "PL": "Polish",
    "PT": "Portuguese", "QA": "Qatari", "RO": "Romanian", "RU": "Russian", "RW": "Rwandan",
    "SA": "Saudi", "SN": "Senegalese", "RS": "Serbian", "SG": "Singaporean", "SK": "Slovak",
    "SI": "Slovenian", "SO": "Somali", "ZA": "South African", "KR": "South Korean", "SS": "South Sudanese",
    "ES": "Spanish", "LK": "Sri Lankan", "SD": "Sudanese", "SE": "Swedish", "CH": "Swiss", "SY": "Syrian",
    "TW": "Taiwanese", "TJ": "Tajik", "TZ": "Tanzanian", "TH": "Thai", "GM": "Gambian", "TG": "Togolese",
    "TN": "Tunisian", "TR": "Turkish", "TM": "Turkmen", "AE": "Emirati", "UG": "Ugandan",
    "UA": "Ukrainian", "GB": "British", "US": "US", "UY": "Uruguayan", "UZ": "Uzbek", "VA": "Vatican",
    "VE": "Venezuelan", "VN": "Vietnamese", "YE": "Yemeni", "ZM": "Zambian", "ZW": "Zimbabwean",
    "XK": "Kosovar",
}

# Extra spellings of demonyms met in descriptors ("American state media", "UK government").
DEMONYM_VARIANTS: dict[str, str] = {
    "american": "US", "u.s.": "US", "us": "US", "uk": "GB", "english": "GB", "persian": "IR",
    "emirati": "AE", "uae": "AE", "israeli": "IL", "kurdish": "IQ", "saudi arabian": "SA",
}

# Country names as the State Media Matrix writes them, where GeoNames spells them otherwise.
COUNTRY_NAME_FIXES: dict[str, str] = {
    "Czechia": "CZ", "Côte d'Ivoire": "CI", "DR Congo": "CD", "Congo": "CG", "Europen Union": "",
    "European Union": "", "Hong Kong": "HK", "Laos": "LA", "Macao": "MO", "North Korea": "KP",
    "South Korea": "KR", "Palestine territories": "PS", "The Gambia": "GM", "UAE": "AE",
    "United States of America": "US", "Vatican City": "VA", "Brunei": "BN", "Russia": "RU",
    "Syria": "SY", "Iran": "IR", "Taiwan": "TW", "Vietnam": "VN", "Moldova": "MD", "Bolivia": "BO",
    "Tanzania": "TZ", "Netherlands": "NL", "North Macedonia": "MK", "Cape Verde": "CV", "Kosovo": "XK",
}


def state_group(country: str) -> str:
    """The group name that holds a country's state bodies and state-controlled media."""
    if not country:
        return "international"
    if country == "US":
        return "US government"
    return f"{DEMONYMS.get(country, country)} state"


def demonym_to_country() -> dict[str, str]:
    """Lower-case demonym -> ISO code, for descriptors such as "Syrian state media"."""
    table = {v.lower(): k for k, v in DEMONYMS.items() if k not in ("CD",)}
    table.update(DEMONYM_VARIANTS)
    return table
