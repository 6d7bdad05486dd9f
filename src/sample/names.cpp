#include "internal/names.hpp"

#include <array>
#include <cstddef>
#include <cstdio>

namespace salesight::sample_internal {
namespace {

struct Word {
  const char* zh;
  const char* en;
};

template <std::size_t N>
const Word& Pick(Rng& rng, const std::array<Word, N>& words) {
  return words[rng.Below(static_cast<std::uint32_t>(N))];
}

constexpr std::array<Word, 20> kSurnames = {{
    {"王", "Wang"}, {"李", "Li"},    {"张", "Zhang"}, {"刘", "Liu"}, {"陈", "Chen"},
    {"杨", "Yang"}, {"黄", "Huang"}, {"赵", "Zhao"},  {"吴", "Wu"},  {"周", "Zhou"},
    {"徐", "Xu"},   {"孙", "Sun"},   {"马", "Ma"},    {"朱", "Zhu"}, {"胡", "Hu"},
    {"郭", "Guo"},  {"何", "He"},    {"林", "Lin"},   {"罗", "Luo"}, {"高", "Gao"},
}};

// 40 distinct given names: with 20 surnames and the (s % 20, s / 20) mapping
// below, the 200 full names are distinct (see SalespersonName).
constexpr std::array<Word, 40> kGivenNames = {{
    {"伟", "Wei"},       {"芳", "Fang"},       {"娜", "Na"},         {"敏", "Min"},
    {"静", "Jing"},      {"丽", "Li"},         {"强", "Qiang"},      {"磊", "Lei"},
    {"军", "Jun"},       {"洋", "Yang"},       {"勇", "Yong"},       {"艳", "Yan"},
    {"杰", "Jie"},       {"涛", "Tao"},        {"明", "Ming"},       {"超", "Chao"},
    {"秀英", "Xiuying"}, {"霞", "Xia"},        {"平", "Ping"},       {"刚", "Gang"},
    {"桂英", "Guiying"}, {"建华", "Jianhua"},  {"文", "Wen"},        {"华", "Hua"},
    {"俊", "Jun"},       {"婷", "Ting"},       {"鹏", "Peng"},       {"雪", "Xue"},
    {"海燕", "Haiyan"},  {"志强", "Zhiqiang"}, {"晓东", "Xiaodong"}, {"丹", "Dan"},
    {"浩", "Hao"},       {"琳", "Lin"},        {"子轩", "Zixuan"},   {"欣怡", "Xinyi"},
    {"宇", "Yu"},        {"倩", "Qian"},       {"凯", "Kai"},        {"颖", "Ying"},
}};

std::size_t GivenIndex(int s) {
  // For a fixed surname (s % 20) the 10 values s / 20 = 0..9 map to given
  // names 4 apart, all distinct because 4 * 9 < 40.
  return static_cast<std::size_t>((s / 20) * 4 + (s % 20)) % kGivenNames.size();
}

// Cities by region (index = region id).
constexpr std::array<Word, 6> kCities[8] = {
    {{{"上海", "Shanghai"},
      {"杭州", "Hangzhou"},
      {"南京", "Nanjing"},
      {"苏州", "Suzhou"},
      {"宁波", "Ningbo"},
      {"青岛", "Qingdao"}}},
    {{{"广州", "Guangzhou"},
      {"深圳", "Shenzhen"},
      {"东莞", "Dongguan"},
      {"佛山", "Foshan"},
      {"厦门", "Xiamen"},
      {"南宁", "Nanning"}}},
    {{{"北京", "Beijing"},
      {"天津", "Tianjin"},
      {"石家庄", "Shijiazhuang"},
      {"太原", "Taiyuan"},
      {"呼和浩特", "Hohhot"},
      {"唐山", "Tangshan"}}},
    {{{"武汉", "Wuhan"},
      {"长沙", "Changsha"},
      {"郑州", "Zhengzhou"},
      {"南昌", "Nanchang"},
      {"襄阳", "Xiangyang"},
      {"洛阳", "Luoyang"}}},
    {{{"成都", "Chengdu"},
      {"重庆", "Chongqing"},
      {"昆明", "Kunming"},
      {"贵阳", "Guiyang"},
      {"绵阳", "Mianyang"},
      {"拉萨", "Lhasa"}}},
    {{{"西安", "Xi'an"},
      {"兰州", "Lanzhou"},
      {"乌鲁木齐", "Urumqi"},
      {"银川", "Yinchuan"},
      {"西宁", "Xining"},
      {"宝鸡", "Baoji"}}},
    {{{"沈阳", "Shenyang"},
      {"大连", "Dalian"},
      {"长春", "Changchun"},
      {"哈尔滨", "Harbin"},
      {"吉林", "Jilin"},
      {"鞍山", "Anshan"}}},
    {{{"新加坡", "Singapore"},
      {"吉隆坡", "Kuala Lumpur"},
      {"曼谷", "Bangkok"},
      {"迪拜", "Dubai"},
      {"汉堡", "Hamburg"},
      {"鹿特丹", "Rotterdam"}}},
};

constexpr std::array<Word, 32> kBrands = {{
    {"华盛", "Huasheng"}, {"宏达", "Hongda"},   {"鑫源", "Xinyuan"},    {"恒通", "Hengtong"},
    {"金泰", "Jintai"},   {"瑞丰", "Ruifeng"},  {"天成", "Tiancheng"},  {"永兴", "Yongxing"},
    {"嘉禾", "Jiahe"},    {"博远", "Boyuan"},   {"中联", "Zhonglian"},  {"盛世", "Shengshi"},
    {"新航", "Xinhang"},  {"东方", "Dongfang"}, {"远大", "Yuanda"},     {"联创", "Lianchuang"},
    {"宝利", "Baoli"},    {"海润", "Hairun"},   {"国信", "Guoxin"},     {"锦程", "Jincheng"},
    {"富达", "Fuda"},     {"顺发", "Shunfa"},   {"安泰", "Antai"},      {"明德", "Mingde"},
    {"振华", "Zhenhua"},  {"凯瑞", "Kairui"},   {"昌盛", "Changsheng"}, {"佳禾", "Jiahe"},
    {"正泰", "Zhengtai"}, {"力拓", "Lituo"},    {"万通", "Wantong"},    {"启明", "Qiming"},
}};

constexpr std::array<Word, 16> kIndustries = {{
    {"电子科技", "Electronics Technology"},
    {"机械设备", "Machinery"},
    {"贸易", "Trading"},
    {"化工", "Chemical"},
    {"物流", "Logistics"},
    {"建材", "Building Materials"},
    {"医疗器械", "Medical Devices"},
    {"食品", "Foods"},
    {"汽车配件", "Auto Parts"},
    {"信息技术", "Information Technology"},
    {"包装", "Packaging"},
    {"能源", "Energy"},
    {"纺织", "Textiles"},
    {"五金制品", "Hardware"},
    {"新材料", "Advanced Materials"},
    {"环保科技", "Environmental Technology"},
}};

constexpr std::array<Word, 5> kGrades = {{
    {"标准型", "Standard"},
    {"加强型", "Heavy-duty"},
    {"经济型", "Economy"},
    {"高端", "Premium"},
    {"工业级", "Industrial-grade"},
}};

// Items by category (index = category id, as in CategoryCodes()).
constexpr std::array<Word, 5> kItems[8] = {
    {{{"贴片电阻", "SMD Resistor"},
      {"电解电容", "Electrolytic Capacitor"},
      {"继电器", "Relay"},
      {"连接器", "Connector"},
      {"传感器", "Sensor"}}},
    {{{"变频器", "Inverter Drive"},
      {"空压机", "Air Compressor"},
      {"减速机", "Gear Reducer"},
      {"液压泵", "Hydraulic Pump"},
      {"工业风机", "Industrial Fan"}}},
    {{{"不锈钢球阀", "Stainless Ball Valve"},
      {"内六角扳手", "Hex Key Set"},
      {"电钻", "Power Drill"},
      {"高强度螺栓", "High-tensile Bolt"},
      {"管钳", "Pipe Wrench"}}},
    {{{"环氧树脂", "Epoxy Resin"},
      {"工业酒精", "Industrial Ethanol"},
      {"润滑油", "Lubricant"},
      {"清洗剂", "Cleaning Agent"},
      {"防锈剂", "Rust Inhibitor"}}},
    {{{"瓦楞纸箱", "Corrugated Box"},
      {"缠绕膜", "Stretch Film"},
      {"托盘", "Pallet"},
      {"气泡袋", "Bubble Bag"},
      {"封箱胶带", "Packing Tape"}}},
    {{{"复印纸", "Copy Paper"},
      {"文件柜", "File Cabinet"},
      {"打印机", "Printer"},
      {"办公椅", "Office Chair"},
      {"墨盒", "Ink Cartridge"}}},
    {{{"ERP许可", "ERP License"},
      {"云服务器", "Cloud Server"},
      {"运维服务", "Support Plan"},
      {"数据备份", "Data Backup"},
      {"安全审计", "Security Audit"}}},
    {{{"安全帽", "Safety Helmet"},
      {"防护手套", "Protective Gloves"},
      {"护目镜", "Safety Goggles"},
      {"劳保鞋", "Safety Shoes"},
      {"反光背心", "Reflective Vest"}}},
};

}  // namespace

const std::vector<std::string>& RegionCodes() {
  static const std::vector<std::string> v = {"华东", "华南", "华北", "华中",
                                             "西南", "西北", "东北", "Overseas"};
  return v;
}
const std::vector<std::string>& CategoryCodes() {
  static const std::vector<std::string> v = {"电子元件", "工业设备", "五金工具", "化工原料",
                                             "包装材料", "办公用品", "软件服务", "劳保用品"};
  return v;
}
const std::vector<std::string>& ChannelCodes() {
  static const std::vector<std::string> v = {"直销", "经销商", "电商", "电话销售"};
  return v;
}
const std::vector<std::string>& SourceCodes() {
  static const std::vector<std::string> v = {"Website",          "Referral", "Trade show",
                                             "Cold call",        "Partner",  "Advertising",
                                             "Existing customer"};
  return v;
}
const std::vector<std::string>& LostReasonCodes() {
  static const std::vector<std::string> v = {"Price",       "Competitor", "No budget",
                                             "No decision", "Timing",     "Requirements not met"};
  return v;
}

std::string SalespersonName(int s) {
  std::string name = kSurnames[static_cast<std::size_t>(s % 20)].zh;
  name += kGivenNames[GivenIndex(s)].zh;
  return name;
}

std::string SalespersonNameEn(int s) {
  std::string name = kSurnames[static_cast<std::size_t>(s % 20)].en;
  name += ' ';
  name += kGivenNames[GivenIndex(s)].en;
  return name;
}

void CompanyName(Rng& rng, int region, std::string* zh, std::string* en) {
  const Word& city = Pick(rng, kCities[region]);
  const Word& brand = Pick(rng, kBrands);
  const Word& industry = Pick(rng, kIndustries);
  const bool overseas = region == kNumRegions - 1;
  zh->clear();
  zh->append(city.zh).append(brand.zh).append(industry.zh).append("有限公司");
  en->clear();
  en->append(city.en).append(" ").append(brand.en).append(" ").append(industry.en);
  en->append(overseas ? " Pte. Ltd." : " Co., Ltd.");
}

void ProductName(Rng& rng, int category, std::string* zh, std::string* en) {
  const Word& grade = Pick(rng, kGrades);
  const Word& item = Pick(rng, kItems[category]);
  char model[16];
  std::snprintf(model, sizeof(model), " %c%c-%04u", 'A' + static_cast<char>(rng.Below(26)),
                'A' + static_cast<char>(rng.Below(26)), static_cast<unsigned>(rng.Below(10000)));
  zh->clear();
  zh->append(grade.zh).append(" ").append(item.zh).append(model);
  en->clear();
  en->append(grade.en).append(" ").append(item.en).append(model);
}

}  // namespace salesight::sample_internal
