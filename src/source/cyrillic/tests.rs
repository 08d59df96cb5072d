use super::*;
use crate::source::sniff::guess_encoding;

/// A Russian CRM export's first rows (made-up companies and people).
const RUSSIAN: &str = "Компания,Город,Контакт,Заметка\n\
    ООО Северный ветер,Москва,Иван Петров,Позвонить во вторник по поводу договора поставки\n\
    АО Речной порт,Санкт-Петербург,Мария Смирнова,Отправили коммерческое предложение на оборудование\n\
    ИП Кузнецов,Новосибирск,Алексей Кузнецов,Клиент просит скидку на годовое обслуживание\n\
    ООО Зелёный сад,Екатеринбург,Ольга Васильева,Встреча назначена на следующую неделю в офисе\n";

/// A Ukrainian one, with the letters only Ukrainian has (і, ї, є, ґ).
const UKRAINIAN: &str = "Компанія,Місто,Контакт,Нотатка\n\
    ТОВ Південний вітер,Київ,Іван Петренко,Зателефонувати у вівторок щодо договору постачання\n\
    ПП Річковий порт,Львів,Марія Ковальчук,Надіслали комерційну пропозицію на обладнання\n\
    ФОП Гудзь,Одеса,Олексій Гудзь,Клієнт просить знижку на річне обслуговування, є питання\n\
    ТОВ Зелений сад,Харків,Ольга Шевченко,Зустріч призначена на наступний тиждень в офісі\n";

/// Latin text with accents, which a Cyrillic code page would also decode to letters.
const FRENCH_GERMAN: &str = "Société,Ville,Contact,Remarque\n\
    Crème Brûlée SARL,Genève,Zoë Müller,Réunion prévue à l'hôtel après le déjeuner\n\
    Bäckerei Größe GmbH,München,Jürgen Weiß,Angebot für die Kühlgeräte geschickt\n\
    Café Déjà Vu,Besançon,Noël Lefèvre,Très intéressé par la démonstration\n";

fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{} cannot write the text", encoding.name());
    bytes.into_owned()
}

fn encode_855(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                c as u8
            } else {
                let at = IBM855.high.iter().position(|&h| h == c).expect("in IBM855");
                0x80 + at as u8
            }
        })
        .collect()
}

#[test]
fn cyrillic_code_pages_are_told_apart() {
    for (language, text) in [("Russian", RUSSIAN), ("Ukrainian", UKRAINIAN)] {
        for encoding in [WINDOWS_1251, KOI8_U, X_MAC_CYRILLIC] {
            let guess = guess_encoding(&encode(text, encoding), true);
            assert_eq!(guess.name(), encoding.name(), "{language}");
            assert_eq!(guess.decode(&encode(text, encoding)), text, "{language}");
        }
        let bytes = encode_855(text);
        let guess = guess_encoding(&bytes, true);
        assert_eq!(guess.name(), "IBM855", "{language}");
        assert_eq!(guess.decode(&bytes), text, "{language}");
    }
    // IBM866 cannot write Ukrainian's і and ї: Russian only.
    let bytes = encode(RUSSIAN, IBM866);
    assert_eq!(guess_encoding(&bytes, true).name(), "IBM866");
}

#[test]
fn latin_text_keeps_its_code_page() {
    let bytes = encode(FRENCH_GERMAN, WINDOWS_1252);
    let guess = guess_encoding(&bytes, true);
    assert_eq!(guess.name(), "windows-1252");
    assert_eq!(guess.decode(&bytes), FRENCH_GERMAN);
}

#[test]
fn thai_in_tis_620_is_read() {
    // TIS-620 is Windows-874 without its few additions, which chardetng finds.
    let thai = "บริษัท,จังหวัด,ผู้ติดต่อ,บันทึก\n\
        บริษัท ลมเหนือ จำกัด,กรุงเทพมหานคร,สมชาย ใจดี,โทรกลับวันอังคารเรื่องสัญญาจัดซื้อ\n\
        ห้างหุ้นส่วน ท่าเรือ,เชียงใหม่,สมหญิง รักไทย,ส่งใบเสนอราคาอุปกรณ์แล้ว\n";
    let bytes = encode(thai, encoding_rs::WINDOWS_874);
    let guess = guess_encoding(&bytes, true);
    assert_eq!(guess.name(), "windows-874");
    assert_eq!(guess.decode(&bytes), thai);
}

#[test]
fn the_reader_decodes_across_its_buffer() {
    let text = RUSSIAN.repeat(200);
    let mut out = String::new();
    IBM855
        .reader(std::io::Cursor::new(encode_855(&text)))
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, text);
}
