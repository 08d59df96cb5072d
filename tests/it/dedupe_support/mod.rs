//! A generator of CRM-like person and organisation records with injected duplicates of known
//! truth, shared by the dedupe tests, the dedupe bench and `examples/gen_duplicates.rs`.
//!
//! Every record carries the id of the real-world entity it describes (`truth`). Duplicates are
//! copies of an entity with realistic damage: case, accents dropped, a typo, first and last
//! name swapped, another phone format, "Inc." written "Incorporated" (or left out), e-mail case
//! and surrounding spaces, a personal e-mail instead of the work one, missing fields. Namesakes
//! (the same name at another company, with their own e-mail and phone) are distinct entities.
//! Deterministic for a seed.

use std::io::Write;

use pipemap::dedupe::DedupeRecord;

/// A small, fast, deterministic random generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability p.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[rustfmt::skip]
const FIRST: &[&str] = &[
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
    "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Margaret",
    "Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily", "Andrew", "Michelle", "Joshua",
    "Amanda", "Kevin", "Melissa", "Brian", "Stephanie", "George", "Rebecca", "Edward", "Laura",
    "Ronald", "Sharon", "Timothy", "Cynthia", "Jason", "Kathleen", "Jeffrey", "Amy", "Ryan",
    "Angela", "Jacob", "Anna", "Gary", "Brenda", "Nicholas", "Pamela", "Eric", "Nicole",
    "Jonathan", "Emma", "Stephen", "Samantha", "Larry", "Katherine", "Justin", "Christine",
    "Scott", "Debra", "Brandon", "Rachel", "Benjamin", "Carolyn", "Samuel", "Janet", "Gregory",
    "Catherine", "José", "María", "Jürgen", "Søren", "François", "Zoë", "Björn", "Łukasz", "Agnès",
    "Renée", "Héctor", "Inés", "Ørjan", "Åsa", "Jörg", "Małgorzata", "Çelik", "Dagný", "Mónica",
    "Raúl", "Lucas", "Sofia", "Mateo", "Olivia", "Noah", "Mia", "Liam", "Ava", "Elias", "Ida",
    "Hugo", "Chloé", "Louis", "Léa", "Arthur", "Jade", "Matteo", "Giulia", "Leonardo", "Chiara",
    "Aiko", "Hiroshi", "Yuki", "Kenji", "Priya", "Arjun", "Ananya", "Rohan", "Wei", "Mei", "Chen",
    "Ling", "Olu", "Amara", "Kwame", "Zainab", "Omar", "Layla", "Yusuf", "Fatima", "Nils", "Freya",
    "Anders", "Ingrid", "Pekka", "Aino", "Tomasz", "Zofia", "Piotr", "Katarzyna",
];

#[rustfmt::skip]
const LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
    "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
    "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller", "Schmidt",
    "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Núñez",
    "Peña", "Muñoz", "Gómez", "Díaz", "Pérez", "Sánchez", "Jiménez", "Álvarez", "Ruiz", "Dubois",
    "Lefèvre", "Moreau", "Laurent", "Girard", "Rousseau", "Bonnet", "Dupont", "Lambert",
    "Fontaine", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
    "Marino", "Greco", "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński",
    "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Hansen", "Johansen", "Olsen", "Larsen",
    "Andersen", "Pedersen", "Nielsen", "Kristiansen", "Jensen", "Karlsson", "Nilsson", "Eriksson",
    "Lindqvist", "Bergström", "Sjöberg", "Åberg", "Virtanen", "Korhonen", "Mäkinen", "Nieminen",
    "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Yamamoto", "Nakamura", "Kobayashi", "Sato",
    "Patel", "Sharma", "Singh", "Kumar", "Gupta", "Reddy", "Wang", "Li", "Zhang", "Liu", "Chen",
    "Yang", "Huang", "Zhao", "Okafor", "Adeyemi", "Mensah", "Owusu", "O'Brien", "O'Connor",
    "McCarthy", "MacDonald", "Fitzgerald", "van der Berg", "de Vries", "van Dijk", "Bakker",
    "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Harrington", "Whitaker",
    "Pemberton", "Ashworth", "Blackwood", "Thornton", "Kensington", "Fairbanks", "Holloway",
    "Sinclair", "Ellison", "Carrington", "Donnelly", "Gallagher", "Kavanagh", "Brennan",
];

#[rustfmt::skip]
const SYLLABLES: &[&str] = &[
    "tor", "ix", "ta", "hal", "ka", "quen", "lo", "mon", "zu", "zé", "ri", "mo", "nøs",
    "vik", "pra", "del", "sen", "var", "qui", "bel", "fa", "ron", "ter", "nu", "vo", "lin", "gar",
    "sol", "ven", "dra", "kor", "mi", "ral", "tes", "ny", "ox", "pel", "cas", "dor", "rä", "fen",
    "gil",
];

#[rustfmt::skip]
const INDUSTRY: &[&str] = &[
    "Trading", "Robotics", "Energy", "Logistics", "Foods", "Software", "Consulting",
    "Media", "Analytics", "Systems", "Labs", "Partners", "Capital", "Health", "Textiles", "Motors",
    "Design", "Security", "Networks", "Holdings", "Pharma", "Solar", "Marine", "Apparel",
];

/// Legal forms and their variants: a duplicate may write any of a group, or none.
#[rustfmt::skip]
const LEGAL: &[&[&str]] = &[
    &["Inc.", "Incorporated", "Inc", "INC."], &["Corp.", "Corporation", "Corp"],
    &["LLC", "L.L.C.", "llc"], &["Ltd", "Limited", "Ltd."], &["GmbH", "GMBH", "Gmbh"], &["AG"],
    &["AS", "A/S"], &["AB", "Aktiebolag AB"], &["Oy", "OY"], &["S.A.", "SA"], &["B.V.", "BV"],
    &["S.r.l.", "Srl", "SRL"], &["plc", "PLC"], &["Pty Ltd", "Pty. Ltd.", "Pty Limited"],
];

/// Cities with their country calling code and national trunk prefix.
#[rustfmt::skip]
const CITIES: &[(&str, &str, &str)] = &[
    ("New York", "1", ""), ("Chicago", "1", ""), ("Austin", "1", ""),
    ("San Francisco", "1", ""), ("Toronto", "1", ""), ("London", "44", "0"),
    ("Manchester", "44", "0"), ("Berlin", "49", "0"), ("München", "49", "0"),
    ("Hamburg", "49", "0"), ("Paris", "33", "0"), ("Lyon", "33", "0"), ("Madrid", "34", ""),
    ("Barcelona", "34", ""), ("Milano", "39", ""), ("Roma", "39", ""), ("Warszawa", "48", ""),
    ("Kraków", "48", ""), ("Oslo", "47", ""), ("Bergen", "47", ""), ("Stockholm", "46", "0"),
    ("Göteborg", "46", "0"), ("Helsinki", "358", "0"), ("Amsterdam", "31", "0"),
    ("Rotterdam", "31", "0"), ("Tokyo", "81", "0"), ("Osaka", "81", "0"), ("Sydney", "61", "0"),
    ("Melbourne", "61", "0"), ("Mumbai", "91", "0"), ("São Paulo", "55", "0"),
    ("Zürich", "41", "0"),
];

const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "gmx.de",
];

/// A company as generated.
#[derive(Debug, Clone)]
pub struct Company {
    pub base: String,
    pub industry: String,
    pub legal: usize,
    pub domain: String,
    pub city: usize,
    pub phone: String,
    pub street: String,
}

impl Company {
    fn name(&self, variant: usize) -> String {
        let forms = LEGAL[self.legal];
        format!(
            "{} {} {}",
            self.base,
            self.industry,
            forms[variant % forms.len()]
        )
    }
}

/// One generated row, with the entity it describes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub truth: usize,
    pub id: String,
    pub first: String,
    pub last: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub city: String,
    pub website: String,
    pub address: String,
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn ascii(s: &str) -> String {
    deunicode::deunicode(s)
}

fn email_part(s: &str) -> String {
    ascii(s)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

fn digits(rng: &mut Rng, n: usize) -> String {
    let mut s: String = (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect();
    if s.starts_with('0') {
        s.replace_range(0..1, "5");
    }
    s
}

/// A national number written one of the ways CRMs hold phones.
fn format_phone(rng: &mut Rng, city: usize, national: &str) -> String {
    let (_, code, trunk) = CITIES[city];
    let (a, b) = national.split_at(3);
    let (b, c) = b.split_at(3);
    match rng.below(6) {
        0 => format!("+{code} {a} {b} {c}"),
        1 => format!("+{code}{national}"),
        2 => format!("{trunk}{a}-{b}-{c}"),
        3 => format!("({trunk}{a}) {b} {c}"),
        4 => format!("00{code} {a}.{b}.{c}"),
        _ => format!("{trunk}{national}"),
    }
}

fn company(rng: &mut Rng) -> Company {
    let base: String = (0..2 + rng.below(2))
        .map(|_| *rng.pick(SYLLABLES))
        .collect();
    let base = capitalise(&base);
    let industry = rng.pick(INDUSTRY).to_string();
    let domain = format!("{}-{}.example", email_part(&base), email_part(&industry));
    let city = rng.below(CITIES.len());
    let phone = digits(rng, 9);
    let street = format!(
        "{} {} Street",
        1 + rng.below(200),
        capitalise(rng.pick::<&str>(SYLLABLES))
    );
    Company {
        base,
        industry,
        legal: rng.below(LEGAL.len()),
        domain,
        city,
        phone,
        street,
    }
}

/// A company whose name and domain no earlier one has (two firms that share both are one).
fn distinct_company(rng: &mut Rng, names: &mut std::collections::HashSet<String>) -> Company {
    loop {
        let co = company(rng);
        if names.insert(co.domain.clone()) {
            return co;
        }
    }
}

/// One typo: a letter substituted, dropped, doubled or two swapped.
pub fn typo(rng: &mut Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_string();
    }
    let i = 1 + rng.below(chars.len() - 2);
    match rng.below(4) {
        0 => chars[i] = *rng.pick(&['a', 'e', 'i', 'o', 'n', 'r', 's', 't']),
        1 => {
            chars.remove(i);
        }
        2 => chars.insert(i, chars[i]),
        _ => chars.swap(i, i + 1),
    }
    chars.into_iter().collect()
}

/// Generates persons: `entities` real people, `dup_rate` of whom appear more than once.
pub fn persons(seed: u64, entities: usize, dup_rate: f64) -> Vec<Row> {
    let mut rng = Rng::new(seed);
    let mut names = std::collections::HashSet::new();
    let companies: Vec<Company> = (0..(entities / 8).max(4))
        .map(|_| distinct_company(&mut rng, &mut names))
        .collect();
    let mut rows: Vec<Row> = Vec::with_capacity(entities + entities / 5);
    let mut originals: Vec<(Row, usize, usize)> = Vec::with_capacity(entities);
    let mut addresses = std::collections::HashSet::new();
    for truth in 0..entities {
        let mut c = rng.below(companies.len());
        let (first, last) = if truth > 0 && rng.chance(0.04) {
            // A namesake: another person's name, at another company, with their own contacts.
            let (other, other_company, _) = &originals[rng.below(originals.len())];
            while c == *other_company {
                c = rng.below(companies.len());
            }
            (other.first.clone(), other.last.clone())
        } else {
            (rng.pick(FIRST).to_string(), rng.pick(LAST).to_string())
        };
        let co = &companies[c];
        let local = match rng.below(4) {
            0 => format!("{}.{}", email_part(&first), email_part(&last)),
            1 => format!("{}{}", &email_part(&first)[..1], email_part(&last)),
            2 => email_part(&first),
            _ => format!(
                "{}.{}{}",
                email_part(&first),
                email_part(&last),
                rng.below(100)
            ),
        };
        let mut email = if rng.chance(0.1) {
            format!("{local}{}@{}", rng.below(1000), rng.pick(FREE_MAIL))
        } else {
            format!("{local}@{}", co.domain)
        };
        // Two people never share an address (shared mailboxes aside, which this leaves out).
        while !addresses.insert(email.clone()) {
            email = format!("{}{}", rng.below(10), email);
        }
        let city = if rng.chance(0.85) {
            co.city
        } else {
            rng.below(CITIES.len())
        };
        let national = digits(&mut rng, 9);
        let row = Row {
            truth,
            id: format!("{}", 100_000 + truth),
            name: format!("{first} {last}"),
            email: if rng.chance(0.9) {
                email
            } else {
                String::new()
            },
            phone: if rng.chance(0.8) {
                format_phone(&mut rng, city, &national)
            } else {
                String::new()
            },
            company: if rng.chance(0.9) {
                co.name(0)
            } else {
                String::new()
            },
            city: if rng.chance(0.8) {
                CITIES[city].0.to_string()
            } else {
                String::new()
            },
            first,
            last,
            ..Row::default()
        };
        originals.push((row.clone(), c, city));
        rows.push(row);
    }
    let mut next_id = 100_000 + entities;
    for (original, c, city) in &originals {
        if !rng.chance(dup_rate) {
            continue;
        }
        let copies = if rng.chance(0.2) { 2 } else { 1 };
        for _ in 0..copies {
            let mut dup = damage_person(&mut rng, original, &companies[*c], *city);
            dup.id = format!("{next_id}");
            next_id += 1;
            rows.push(dup);
        }
    }
    // Duplicates are spread through the file, as years of CRM use leave them.
    for i in (1..rows.len()).rev() {
        let j = rng.below(i + 1);
        rows.swap(i, j);
    }
    rows
}

/// A copy of a person with one to three kinds of damage; at least one of e-mail, phone and
/// company survives (a copy with none of them is a namesake to any reader).
fn damage_person(rng: &mut Rng, original: &Row, co: &Company, city: usize) -> Row {
    let mut r = original.clone();
    let kinds = 1 + rng.below(3);
    for _ in 0..kinds {
        match rng.below(11) {
            0 => {
                r.first = r.first.to_uppercase();
                r.last = r.last.to_uppercase();
            }
            1 => {
                r.first = r.first.to_lowercase();
                r.last = r.last.to_lowercase();
            }
            2 => {
                r.first = ascii(&r.first);
                r.last = ascii(&r.last);
            }
            3 => {
                if rng.chance(0.5) {
                    r.first = typo(rng, &r.first);
                } else {
                    r.last = typo(rng, &r.last);
                }
            }
            4 => std::mem::swap(&mut r.first, &mut r.last),
            5 if !r.phone.is_empty() => {
                let national: String = r.phone.chars().filter(char::is_ascii_digit).collect();
                let national = national[national.len() - 9..].to_string();
                r.phone = format_phone(rng, city, &national);
            }
            6 if !r.company.is_empty() => {
                let name = co.name(1 + rng.below(3));
                r.company = match rng.below(4) {
                    0 => name.to_uppercase(),
                    1 => format!("{} {}", co.base, co.industry),
                    _ => name,
                };
            }
            7 if !r.email.is_empty() => {
                r.email = match rng.below(3) {
                    0 => r.email.to_uppercase(),
                    1 => format!(" {} ", r.email),
                    _ => capitalise(&r.email),
                };
            }
            8 | 9 => {
                let present: Vec<usize> = [
                    !r.email.is_empty(),
                    !r.phone.is_empty(),
                    !r.company.is_empty(),
                    !r.city.is_empty(),
                ]
                .iter()
                .enumerate()
                .filter(|(i, p)| **p && (*i == 3 || identifiers(&r) > 1))
                .map(|(i, _)| i)
                .collect();
                if let Some(&field) = present.get(rng.below(present.len().max(1))) {
                    match field {
                        0 => r.email.clear(),
                        1 => r.phone.clear(),
                        2 => r.company.clear(),
                        _ => r.city.clear(),
                    }
                }
            }
            10 if !r.email.is_empty() && identifiers(&r) > 1 => {
                // A personal address instead of the work one.
                let local = format!("{}.{}", email_part(&r.first), email_part(&r.last));
                r.email = format!("{local}{}@{}", rng.below(100), rng.pick(FREE_MAIL));
            }
            _ => {}
        }
    }
    r.name = format!("{} {}", r.first, r.last);
    r
}

fn identifiers(r: &Row) -> usize {
    [&r.email, &r.phone, &r.company]
        .iter()
        .filter(|v| !v.is_empty())
        .count()
}

/// Generates organisations: `entities` companies, `dup_rate` of them more than once, plus
/// confusers: another company with the same first word, and a same-named firm elsewhere with
/// its own site and phone.
pub fn organizations(seed: u64, entities: usize, dup_rate: f64) -> Vec<Row> {
    let mut rng = Rng::new(seed);
    let mut rows = Vec::new();
    let mut made: Vec<(Company, Row)> = Vec::new();
    let mut names = std::collections::HashSet::new();
    for truth in 0..entities {
        let mut co = distinct_company(&mut rng, &mut names);
        let mut confuser = false;
        if truth > 0 && rng.chance(0.05) {
            // Same first word, another business.
            let (other, _) = &made[rng.below(made.len())];
            co.base = other.base.clone();
            while co.industry == other.industry {
                co.industry = rng.pick(INDUSTRY).to_string();
            }
            co.domain = format!(
                "{}-{}.example",
                email_part(&co.base),
                email_part(&co.industry)
            );
        } else if let Some((other, _)) = made
            .get(rng.below(made.len().max(1)))
            .filter(|(_, row)| !row.city.is_empty() && !row.website.is_empty() && rng.chance(0.03))
        {
            // The same name in another city: an unrelated firm with its own site and phone, both
            // on record (without them no reader could tell the two apart).
            confuser = true;
            co.base = other.base.clone();
            co.industry = other.industry.clone();
            co.legal = other.legal;
            co.domain = format!(
                "{}-{}.example",
                email_part(&co.base),
                CITIES[co.city].0.len()
            );
            while co.city == other.city {
                co.city = rng.below(CITIES.len());
            }
        }
        while !names.insert(co.domain.clone()) {
            co.domain = format!("{}-{}", rng.below(10), co.domain);
        }
        let row = Row {
            truth,
            id: format!("{}", 500_000 + truth),
            name: co.name(0),
            website: if confuser || rng.chance(0.8) {
                format!("https://www.{}", co.domain)
            } else {
                String::new()
            },
            phone: if rng.chance(0.8) {
                format_phone(&mut rng, co.city, &co.phone)
            } else {
                String::new()
            },
            city: if confuser || rng.chance(0.9) {
                CITIES[co.city].0.to_string()
            } else {
                String::new()
            },
            address: if rng.chance(0.6) {
                co.street.clone()
            } else {
                String::new()
            },
            ..Row::default()
        };
        made.push((co, row.clone()));
        rows.push(row);
    }
    let mut next_id = 500_000 + entities;
    for (co, original) in &made {
        if !rng.chance(dup_rate) {
            continue;
        }
        let mut r = original.clone();
        for _ in 0..1 + rng.below(3) {
            match rng.below(8) {
                0 => r.name = co.name(1 + rng.below(3)),
                1 => r.name = r.name.to_uppercase(),
                2 => r.name = ascii(&r.name),
                3 => {
                    r.name = format!(
                        "{} {} {}",
                        typo(&mut rng, &co.base),
                        co.industry,
                        LEGAL[co.legal][0]
                    )
                }
                4 if !r.website.is_empty() => {
                    r.website = match rng.below(3) {
                        0 => co.domain.clone(),
                        1 => format!("http://{}/", co.domain),
                        _ => format!("www.{}/contact", co.domain.to_uppercase()),
                    }
                }
                5 if !r.phone.is_empty() => r.phone = format_phone(&mut rng, co.city, &co.phone),
                6 => match rng.below(3) {
                    0 => r.address.clear(),
                    1 if !r.phone.is_empty() && !r.website.is_empty() => r.phone.clear(),
                    _ if !r.phone.is_empty() && !r.website.is_empty() => r.website.clear(),
                    _ => {}
                },
                _ => r.name = format!("{} {}", co.base, co.industry),
            }
        }
        r.id = format!("{next_id}");
        next_id += 1;
        rows.push(r);
    }
    for i in (1..rows.len()).rev() {
        let j = rng.below(i + 1);
        rows.swap(i, j);
    }
    rows
}

/// The rows as engine records (rows numbered from 1, identities from the generated ids).
pub fn to_records(rows: &[Row], organization: bool) -> Vec<DedupeRecord> {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    rows.iter()
        .enumerate()
        .map(|(i, r)| DedupeRecord {
            row: i as u64 + 1,
            identity: r.id.clone(),
            name: if organization {
                r.name.clone()
            } else {
                format!("{} {}", r.first, r.last)
            },
            first_name: r.first.clone(),
            last_name: r.last.clone(),
            emails: some(&r.email).into_iter().collect(),
            phones: some(&r.phone).into_iter().collect(),
            organization: some(&r.company),
            website: some(&r.website),
            city: some(&r.city),
            address: some(&r.address),
            ..DedupeRecord::default()
        })
        .collect()
}

/// Writes person rows as a CRM export: `ID,First Name,Last Name,Email,Phone,Company,City`.
pub fn write_persons_csv(rows: &[Row], out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "ID",
        "First Name",
        "Last Name",
        "Email",
        "Phone",
        "Company",
        "City",
    ])?;
    for r in rows {
        w.write_record([
            &r.id, &r.first, &r.last, &r.email, &r.phone, &r.company, &r.city,
        ])?;
    }
    w.flush()
}

/// Writes organisation rows as a CRM export: `ID,Name,Website,Phone,City,Address`.
pub fn write_organizations_csv(rows: &[Row], out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["ID", "Name", "Website", "Phone", "City", "Address"])?;
    for r in rows {
        w.write_record([&r.id, &r.name, &r.website, &r.phone, &r.city, &r.address])?;
    }
    w.flush()
}

/// Pairwise quality of predicted clusters (lists of row indices) against the truth of each row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
}

impl Quality {
    pub fn precision(&self) -> f64 {
        if self.predicted_pairs == 0 {
            1.0
        } else {
            self.correct_pairs as f64 / self.predicted_pairs as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            1.0
        } else {
            self.correct_pairs as f64 / self.true_pairs as f64
        }
    }
}

/// Counts pairs: those sharing a truth id, those sharing a cluster, and both.
pub fn pair_quality(truth: &[usize], clusters: &[Vec<usize>]) -> Quality {
    let mut by_truth: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
    for &t in truth {
        *by_truth.entry(t).or_default() += 1;
    }
    let true_pairs = by_truth.values().map(|n| n * (n - 1) / 2).sum();
    let mut predicted_pairs = 0;
    let mut correct_pairs = 0;
    for members in clusters {
        let n = members.len() as u64;
        predicted_pairs += n * (n - 1) / 2;
        let mut within: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
        for &m in members {
            *within.entry(truth[m]).or_default() += 1;
        }
        correct_pairs += within.values().map(|k| k * (k - 1) / 2).sum::<u64>();
    }
    Quality {
        true_pairs,
        predicted_pairs,
        correct_pairs,
    }
}
