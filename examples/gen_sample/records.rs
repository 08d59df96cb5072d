//! Linked records: each is a pure function of its index, so links are computed, not stored.

use crate::names::{brand_name, digits, name_variant, phone, shout, typo};
use crate::random::{Rng, fold, s};
use crate::vocab::*;

pub struct Ctx {
    pub seed: u64,
    pub n: u64,
}
impl Ctx {
    pub fn companies(&self) -> u64 {
        self.n.div_ceil(5)
    }
    pub fn leads(&self) -> u64 {
        self.n / 4
    }
    pub fn half(&self) -> u64 {
        self.n / 2
    }
}

#[derive(Clone)]
pub struct Company {
    pub id: u64,
    pub name: String,
    pub domain: String,
    pub owner: &'static str,
    pub city: usize,
}

/// Company k is contacts.csv row 5k.
pub fn company(c: &Ctx, k: u64) -> Company {
    let mut g = Rng::new(c.seed, 1, k);
    let (id, owner, city) = (
        CONTACT0 + 5 * k,
        g.pick(&USERS),
        g.below(CITIES.len() as u64) as usize,
    );
    if k % 23 == 11 {
        // the same company entered twice: "Acme Inc." vs "ACME, Inc" / "Acme"
        let src = company(c, k - 1);
        let name = name_variant(&src.name, (k / 23).is_multiple_of(2));
        return Company { id, name, ..src };
    }
    let (brand, kind, legal) = brand_name(c.seed, k);
    let name = if k % 29 == 7 && k / 29 < 40 {
        let j = (k / 29) as usize; // a one-person business, named like a person (40 at most)
        format!(
            "{} {}",
            FIRST[j % FIRST.len()],
            LAST[(j / LAST.len() + 11 * j) % LAST.len()]
        )
    } else if k % 37 == 21 {
        format!("{brand} {kind} {legal} 東京支店") // the Tokyo branch
    } else {
        format!("{brand} {kind} {legal}")
    };
    let domain = format!("{}.example", fold(&name, Some('-')));
    Company {
        id,
        name,
        domain,
        owner,
        city,
    }
}

pub struct Person {
    pub id: u64,
    pub first: String,
    pub last: String,
    pub org: Option<Company>,
    pub email: String,
    pub mobile: String,
    pub phone: String,
    pub owner: &'static str,
    pub city: usize,
}

pub fn twice_by_email(r: u64) -> bool {
    r % 5 >= 2 && r % 47 == 12
}

/// Person at contacts.csv row r (r % 5 != 0).
pub fn person(c: &Ctx, r: u64) -> Person {
    let (pos, id) = (r % 5, CONTACT0 + r);
    let mut g = Rng::new(c.seed, 2, r);
    if twice_by_email(r) {
        // entered twice: same e-mail in other case, mobile without spaces
        let src = person(c, r - 1);
        let (email, mobile) = (shout(&src.email), digits(&src.mobile));
        return Person {
            id,
            email,
            mobile,
            phone: String::new(),
            ..src
        };
    }
    if r % 5 >= 2 && r % 53 == 33 {
        // entered twice: last name with two letters swapped, no e-mail
        let src = person(c, r - 1);
        return Person {
            id,
            last: typo(&src.last),
            email: String::new(),
            ..src
        };
    }
    let namesake = r >= 35 && r % 59 == 40 && pos >= 1; // shares a name with someone elsewhere
    let (no_org, foreign) = (g.pct(8) && !namesake, g.pct(15) && !namesake);
    let org = match (no_org, foreign) {
        (true, _) => None,
        (false, true) => Some(company(c, g.below(c.companies()))),
        (false, false) => Some(company(c, r / 5)),
    };
    let (first, last) = if namesake {
        // the twin: the first of rows r-35, r-70, r-105 who works at another company
        let elsewhere = |t: &Person| t.org.as_ref().is_some_and(|o| o.id != CONTACT0 + r / 5 * 5);
        let mut twins = (1..=3)
            .filter(|i| 35 * i <= r)
            .map(|i| person(c, r - 35 * i));
        let twin = twins.find(elsewhere).unwrap_or_else(|| person(c, r - 35));
        (twin.first, twin.last)
    } else if g.pct(3) {
        (g.word(&CJK_FIRST), g.word(&CJK_LAST))
    } else {
        // first names differ within a block, so a company's own people never share a name
        let base = Rng::new(c.seed, 10, r / 5).below(FIRST.len() as u64);
        // and "foreign" people take odd-numbered last names, the others even-numbered ones
        let last = LAST[(2 * g.below(LAST.len() as u64 / 2) + u64::from(foreign)) as usize];
        (
            s(FIRST[((base + 7 * pos) % FIRST.len() as u64) as usize]),
            s(last),
        )
    };
    let (f, l) = (fold(&first, None), fold(&last, None));
    let local = if f.is_empty() || l.is_empty() {
        format!("p{id}")
    } else {
        format!("{f}.{l}")
    };
    let email = match &org {
        _ if g.pct(15) && !twice_by_email(r + 1) => String::new(),
        Some(o) => format!("{local}@{}", o.domain),
        None => format!(
            "{local}{r}@{}",
            g.pick(&["example.com", "example.net", "example.org"])
        ),
    };
    let city = org
        .as_ref()
        .map_or(g.below(CITIES.len() as u64) as usize, |o| o.city);
    let owner = match &org {
        Some(o) if g.pct(80) => o.owner,
        _ => g.pick(&USERS),
    };
    let mobile = if g.pct(65) {
        phone(&mut g, city, true)
    } else {
        String::new()
    };
    let phone = if g.pct(45) {
        phone(&mut g, city, false)
    } else {
        String::new()
    };
    Person {
        id,
        first,
        last,
        org,
        email,
        mobile,
        phone,
        owner,
        city,
    }
}

pub struct Lead {
    pub first: String,
    pub last: String,
    pub company: String,
    pub email: String,
}

pub fn lead(c: &Ctx, m: u64) -> Lead {
    let mut g = Rng::new(c.seed, 3, m);
    if m % 31 == 5 {
        // someone who is already a contact comes in again as a lead
        let r = 5 * g.below(c.companies()) + 1;
        let p = person(c, if r < c.n { r } else { 1 });
        let company = p.org.map_or(String::new(), |o| o.name);
        return Lead {
            first: p.first,
            last: p.last,
            company,
            email: p.email,
        };
    }
    let company = match g.below(100) {
        0..70 => {
            let (brand, kind, legal) = brand_name(c.seed, c.companies() + m); // not in contacts.csv
            format!("{brand} {kind} {legal}")
        }
        70..82 => company(c, g.below(c.companies())).name,
        _ => String::new(),
    };
    let (first, last) = if !company.is_empty() && g.pct(5) {
        (String::new(), String::new())
    } else {
        (g.word(&FIRST), g.word(&LAST))
    };
    let (f, l) = (fold(&first, None), fold(&last, None));
    let email = if f.is_empty() || g.pct(20) {
        String::new()
    } else if company.is_empty() {
        format!("{f}.{l}@example.net")
    } else {
        format!("{f}@{}.example", fold(&company, Some('-')))
    };
    Lead {
        first,
        last,
        company,
        email,
    }
}

pub fn deal_name(c: &Ctx, j: u64) -> String {
    s(Rng::new(c.seed, 4, j).pick(&DEAL_TITLES))
}

/// What a task or note is attached to, with the names Sell copies next to the id.
#[derive(Default)]
pub struct Target {
    pub ty: &'static str,
    pub id: u64,
    pub company: String,
    pub first: String,
    pub last: String,
    pub name: String,
}

impl Target {
    fn person(ty: &'static str, p: Person) -> Target {
        let company = p.org.map_or(String::new(), |o| o.name);
        let (id, first, last) = (p.id, p.first, p.last);
        Target {
            ty,
            id,
            company,
            first,
            last,
            ..Target::default()
        }
    }
}

/// Draws what a task or note hangs on; an orphan points at an id that no file holds.
pub fn target(c: &Ctx, g: &mut Rng, orphan: bool) -> Target {
    let roll = g.below(100);
    match roll {
        _ if orphan && roll < 50 => {
            let id = CONTACT0 + c.n + 1000 + g.below(1000); // a contact deleted since
            let (first, last) = (g.word(&FIRST), g.word(&LAST));
            Target {
                ty: "SalesAccount",
                id,
                first,
                last,
                ..Target::default()
            }
        }
        _ if orphan => {
            let (id, name) = (DEAL0 + c.half() + 1000 + g.below(1000), s("Renewal 2025"));
            Target {
                ty: "Deal",
                id,
                name,
                ..Target::default()
            }
        }
        0..45 => match g.below(c.n) {
            r if r.is_multiple_of(5) => {
                let co = company(c, r / 5);
                Target {
                    ty: "SalesAccount",
                    id: co.id,
                    name: co.name,
                    ..Target::default()
                }
            }
            r => Target::person("SalesAccount", person(c, r)),
        },
        45..50 => {
            let r = 5 * g.below(c.companies()) + 1 + g.below(4);
            Target::person("Contact", person(c, if r < c.n { r } else { 1 }))
        }
        50..80 => {
            let j = g.below(c.half());
            Target {
                ty: "Deal",
                id: DEAL0 + j,
                name: deal_name(c, j),
                ..Target::default()
            }
        }
        _ => {
            let m = g.below(c.leads());
            let Lead {
                first,
                last,
                company,
                ..
            } = lead(c, m);
            Target {
                ty: "Lead",
                id: LEAD0 + m,
                company,
                first,
                last,
                ..Target::default()
            }
        }
    }
}
