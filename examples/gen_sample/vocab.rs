//! Vocabularies, column headers and fixed numbers of the generated Sell export.

/// Fictional Sell users. The export names them (`owner`, `creator`); their e-mail addresses
/// are `first.last@example.com` (see docs/samples.md).
pub const USERS: [&str; 5] = [
    "Maria Lindqvist",
    "Tom Okafor",
    "Aiko Tanaka",
    "Jonas Weber",
    "Priya Raman",
];
pub const FIRST: [&str; 30] = [
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Mateo", "Sofía", "Lucas", "Zoë", "Łukasz", "Søren",
    "Jürgen", "Chloé", "Hiro", "Amara", "Kwame", "Ingrid", "Rafael", "Nina", "Omar", "Leila",
    "Tomás", "Björn", "Iñaki", "Grace", "Ravi", "Mei", "Daniel", "Siobhán", "José",
];
pub const LAST: [&str; 30] = [
    "Smith",
    "García",
    "Müller",
    "Østergaard",
    "Núñez",
    "Kowalski",
    "Nakamura",
    "Okafor",
    "Rossi",
    "Dubois",
    "Johansson",
    "O'Brien",
    "van der Berg",
    "Patel",
    "Chen",
    "Schmidt",
    "Lindgren",
    "Haddad",
    "Ferreira",
    "Novák",
    "Brown",
    "Wójcik",
    "Andersen",
    "Moreau",
    "Ivanova",
    "Kim",
    "Mensah",
    "Fischer",
    "Silva",
    "Walsh",
];
pub const CJK_FIRST: [&str; 3] = ["美咲", "健太", "陽菜"];
pub const CJK_LAST: [&str; 3] = ["佐藤", "鈴木", "高橋"];
/// Brand syllables: no two 3- or 4-syllable brands are equal, even after ASCII folding.
pub const SYL: [&str; 24] = [
    "ka", "lo", "ve", "ri", "tor", "mi", "san", "del", "no", "bri", "quen", "ta", "zu", "ar", "el",
    "mon", "vik", "ra", "lü", "ña", "øs", "zé", "hal", "ix",
];
pub const KINDS: [&str; 10] = [
    "Systems",
    "Logistics",
    "Foods",
    "Consulting",
    "Partners",
    "Robotics",
    "Media",
    "Health",
    "Energy",
    "Trading",
];
pub const LEGAL: [&str; 8] = ["Inc.", "Ltd", "GmbH", "AB", "LLC", "S.A.", "Oy", "Corp."];
/// city, country, country as sometimes typed, region, zip, dialling code, area code
pub type City = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
pub const CITIES: [City; 10] = [
    ("Austin", "United States", "USA", "TX", "78701", "1", "512"),
    ("Chicago", "United States", "US", "IL", "60601", "1", "312"),
    (
        "Stockholm",
        "Sweden",
        "Sverige",
        "Stockholms län",
        "111 52",
        "46",
        "8",
    ),
    (
        "Berlin",
        "Germany",
        "Deutschland",
        "Berlin",
        "10115",
        "49",
        "30",
    ),
    (
        "Kraków",
        "Poland",
        "Polska",
        "Małopolskie",
        "31-042",
        "48",
        "12",
    ),
    ("Madrid", "Spain", "España", "Madrid", "28013", "34", "91"),
    ("Tokyo", "Japan", "日本", "東京都", "100-0005", "81", "3"),
    ("Oslo", "Norway", "Norge", "", "0150", "47", "22"),
    ("London", "United Kingdom", "UK", "", "EC1A 1BB", "44", "20"),
    ("Toronto", "Canada", "CA", "ON", "M5H 2N2", "1", "416"),
];
pub const STREETS: [&str; 8] = [
    "Main Street",
    "Storgatan",
    "Hauptstraße",
    "Calle Mayor",
    "ul. Długa",
    "Kongens gate",
    "Sakura-dōri",
    "King Street W",
];
pub const TITLES: [&str; 10] = [
    "CEO",
    "CTO",
    "Head of Sales",
    "Office Manager",
    "Procurement, EMEA",
    "IT coordinator",
    "Marketing Director",
    "Product Owner",
    "Jefa de compras",
    "Geschäftsführer",
];
pub const INDUSTRIES: [&str; 8] = [
    "Software",
    "Manufacturing",
    "Retail",
    "Logistics",
    "Healthcare",
    "Food & Beverage",
    "Construction",
    "Energy",
];
pub const SEGMENTS: [&str; 3] = ["SMB", "Mid-market", "Enterprise"];
pub const TAGS: [&str; 7] = [
    "vip",
    "newsletter",
    "partner",
    "from iPhone",
    "churn-risk",
    "webinar 2024",
    "trade show",
];
pub const SOURCES: [&str; 6] = [
    "Website",
    "Referral",
    "Trade show",
    "Cold call",
    "LinkedIn",
    "Partner",
];
pub const LOSS: [&str; 5] = [
    "Too expensive",
    "Chose a competitor",
    "No budget",
    "No decision",
    "Timing, revisit in Q3",
];
pub const CURRENCIES: [(&str, u64); 4] = [("USD", 60), ("EUR", 20), ("GBP", 10), ("SEK", 10)];
/// Sell's default pipeline: stage name, stage id (this account's), weight
pub const STAGES: [((&str, u64), u64); 7] = [
    (("Incoming", 512001), 20),
    (("Qualified", 512002), 20),
    (("Quote", 512003), 15),
    (("Closure", 512004), 10),
    (("Won", 512005), 15),
    (("Lost", 512006), 12),
    (("Unqualified", 512007), 8),
];
pub const LEAD_STATUS: [(&str, u64); 3] = [("New", 40), ("Working", 35), ("Unqualified", 25)];
pub const DEAL_TITLES: [&str; 12] = [
    "Renewal 2025",
    "Renewal 2025",
    "Renewal 2025",
    "Renewal 2024",
    "Pilot, 50 seats",
    "Annual license",
    "Upgrade to \"Pro\" plan",
    "Onboarding package",
    "Support contract – EMEA",
    "Expansion: 3 new sites",
    "Consulting hours (Q2)",
    "Hardware refresh",
];
pub const DESCRIPTIONS: [&str; 6] = [
    "Met at the \"Nordic SaaS\" fair in Oslo, 2023.\nPrefers e-mail; no calls before 10:00.",
    "Decision maker, signs off on budgets > 10,000.",
    "Former customer (2019–2021), churned to a competitor.\nWants a new quote, \"same as last time\".",
    "Zoë's assistant handles scheduling; ask for Łukasz.",
    "Filled in the contact form: \"interested in pricing\", 20–50 seats",
    "Kund sedan 2020. Vill ha fakturor per e-post, inte papper.",
];
pub const TASK_TEXT: [&str; 8] = [
    "Call back about the renewal",
    "Send quote",
    "Book a demo, 30 min",
    "Follow up on \"Pro\" upgrade",
    "Check contract, then e-mail legal",
    "Ring tillbaka om offerten",
    "Prepare QBR deck",
    "Send invoice copy + PO number",
];
pub const NOTE_TEXT: [&str; 7] = [
    "Called, left voicemail.",
    "Sent quote Q-1042; waiting for \"final\" approval.\nFollow up next week.",
    "Meeting notes:\n- wants SSO\n- budget approved, 2 sites\n- decision by end of month",
    "Kunden vill ha offert på 40 licenser, återkommer.",
    "Prefers Español; reach via mobile.",
    "Demo went well. Concern: price per seat, \"too high\" vs. competitor.",
    "Intro e-mail sent.",
];

pub const CONTACTS_HEADER: &str = "first_name,last_name,is_organisation,name,organisation_name,owner,tags,email,address,mobile,phone,customer_status,prospect_status,custom Segment#1,custom Customer since#1,city,country,created_at,creator,description,facebook,fax,id,industry,last_activity_date,linkedin,linkedin_display,private,region,skype,title,twitter,updated_at,website,zip";
pub const LEADS_HEADER: &str = "first_name,last_name,company_name,owner,city,country,created_at,creator,description,email,facebook,fax,id,industry,linkedin,mobile,phone,region,skype,source,status,street,tags,title,twitter,updated_at,website,zip";
pub const DEALS_HEADER: &str = "id,name,scope,pipeline_name,pipeline_id,stage_name,stage_id,owner,tags,main_contact_id,main_contact,company_id,company,added_at,added_on,created_at,creator,currency,forecasted_deal_value,hot,last_activity_date,last_stage_change_at,loss_reason,source,updated_at";
pub const TASKS_HEADER: &str = "content,owner,send_time,done_at,created_at,date,id,remind,taskable_company_name,taskable_first_name,taskable_id,taskable_last_name,taskable_name,taskable_type,updated_at";
pub const NOTES_HEADER: &str = "content,owner,noteable_id,noteable_type,noteable_name,created_at,id,noteable_company_name,noteable_first_name,noteable_last_name,updated_at";

/// A cell holding exactly this is written as a quoted empty field (`""`), as Sell often does.
pub const QE: &str = "\"\"";
pub const CONTACT0: u64 = 70_000_001;
pub const LEAD0: u64 = 16_000_001;
pub const DEAL0: u64 = 4_600_001;
pub const TASK0: u64 = 7_300_001;
pub const NOTE0: u64 = 22_600_001;
pub const T0: i64 = 1_546_300_800; // 2019-01-01T00:00:00Z
pub const T_EXPORT: i64 = 1_751_241_600; // 2025-06-30T00:00:00Z, the day of the export
pub const DAY: i64 = 86_400;
