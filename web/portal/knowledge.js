/*
 * portal/knowledge.js — 防骗知识: one entry per fraud type (the stable ids of DESIGN.md and
 * src/core/types.c), written by the fangzha team in its own words. Data only, no DOM: the
 * portal lists and links the entries (#/knowledge/<id>), and the console can show the same
 * names next to a report's fraud type.
 *
 * Each entry: id, name {zh, en}, summary {zh, en}, script {zh: [step…], en: [step…]} (how the
 * scam usually unfolds), signs (the warning signs), todo (what to do). Chinese is the full
 * text; English is a shorter version for partner staff and visitors.
 */

export const KNOWLEDGE = [
  {
    id: 'order_brushing',
    name: { zh: '刷单返利', en: 'Paid "order brushing"' },
    summary: {
      zh: '以“在家兼职、动动手指就能赚钱”为饵，先让你尝到小甜头，再一步步要你垫付大钱。',
      en: 'A "work from home" job that pays small commissions first, then asks you to advance ever larger sums.',
    },
    script: {
      zh: [
        '短信、社交群或招聘软件里出现“兼职点赞、刷单、做任务，日结佣金”的广告，引你加好友或下载某个聊天App。',
        '第一单只垫几十元，很快连本带佣金返还，让你相信“真能赚钱”。',
        '接着派“联单”“组合任务”，金额越来越大，并说必须做完全部任务才能一起返还。',
        '等你投入大笔钱后，对方以“操作失误”“账户冻结”“需要交解冻金”为由继续要钱，最后拉黑消失。',
      ],
      en: [
        'An ad offers paid "likes" or "order tasks" and moves you to a chat app.',
        'The first small task pays back quickly with a commission.',
        'Then come bigger "combined tasks" that only pay out when all are done.',
        'Your money is held for "errors" or "unfreezing fees" until they block you.',
      ],
    },
    signs: {
      zh: [
        '所有刷单都是违法行为，正规平台不会雇人刷单。',
        '要求先垫付资金才能“做任务”。',
        '返钱需要“完成全部任务”或“缴纳保证金、解冻费”。',
        '要求下载不知名的App或进入陌生的“任务群”。',
      ],
      en: [
        'Order brushing is illegal; no real shop hires people for it.',
        'You must pay first to "do a task".',
        'Payouts wait for "all tasks" or a "deposit" or "unfreezing fee".',
      ],
    },
    todo: {
      zh: [
        '看到“刷单返利”立刻停止，不加好友、不下载App、不垫付一分钱。',
        '已经转账的，不要再追加“解冻金”想把钱要回来，保留聊天记录和转账凭证，马上拨打 110 报警。',
      ],
      en: [
        'Stop at once: no app, no advance payment.',
        'If you have paid, do not pay more to "recover" it; keep the records and call 110.',
      ],
    },
  },
  {
    id: 'fake_investment',
    name: { zh: '虚假投资理财', en: 'Fake investment' },
    summary: {
      zh: '“导师”“内幕消息”“稳赚不赔”，把你拉进假的投资平台，账面赚钱却永远提不出来。',
      en: 'A "mentor" with "inside tips" moves you onto a fake trading platform whose profits can never be withdrawn.',
    },
    script: {
      zh: [
        '在交友软件、股票群或短视频里结识“成功人士”或“投资老师”，免费分享“牛股”“内幕”。',
        '带你进入所谓的证券、外汇、数字货币或养老项目平台，App 或网址都是对方自己搭的。',
        '小额投入后账面收益很高，甚至能提现一小笔，诱你加大投入。',
        '想取出大额资金时，被告知要交税、交手续费、交保证金，或直接“平台维护”，钱再也拿不回来。',
      ],
      en: [
        'A friendly "expert" shares stock or crypto "tips" in a group or dating app.',
        'You are sent to their own app or website that looks like a trading platform.',
        'Small deposits show big gains, and a small withdrawal works.',
        'Large withdrawals need "tax" or "fees" first, then the platform vanishes.',
      ],
    },
    signs: {
      zh: [
        '承诺高收益、保本、稳赚不赔。',
        '平台不是在正规应用商店下载，或只能通过对方给的链接、二维码进入。',
        '钱要转到个人账户或不断更换的“对公账户”。',
        '提现时要先交钱。',
      ],
      en: [
        'Guaranteed high returns.',
        'The app comes from a link or QR code, not an official store.',
        'Deposits go to personal or changing accounts; withdrawing costs money first.',
      ],
    },
    todo: {
      zh: [
        '投资只通过持牌金融机构和官方渠道，可在监管部门官网核实机构资质。',
        '不要相信网上陌生人的“带单”，发现提不了现立即停止转账并报警。',
      ],
      en: [
        'Invest only through licensed institutions you can verify with the regulator.',
        'If you cannot withdraw, stop paying and call 110.',
      ],
    },
  },
  {
    id: 'fake_loan',
    name: { zh: '虚假网络贷款', en: 'Fake online loans' },
    summary: {
      zh: '号称“无抵押、不看征信、秒到账”，贷款没拿到，先被收走各种费用。',
      en: '"No checks, instant cash" loans that take fee after fee and never pay out.',
    },
    script: {
      zh: [
        '短信或网页广告宣称“低息、免审核、黑户也能贷”，引你下载贷款App或加客服。',
        '填完身份证、银行卡等资料后，显示“审核通过”，但提示“银行卡号填错，账户被冻结”。',
        '要你先交“解冻费”“保证金”“会员费”“刷流水”才能放款。',
        '交了一笔又一笔，贷款始终不到账，还泄露了个人信息。',
      ],
      en: [
        'An ad promises easy loans with no credit check.',
        'After you submit your ID and card, the loan is "approved" but "frozen".',
        'You are asked for an unfreezing fee, deposit or "bank statement" payment.',
        'Each payment leads to another; the loan never arrives.',
      ],
    },
    signs: {
      zh: [
        '放款前要你先交任何费用。',
        '声称“不看征信”“黑户可贷”。',
        '以“卡号错误”“流水不足”为由冻结贷款。',
      ],
      en: ['Any fee before the money arrives.', '"No credit check" promises.', 'A loan "frozen" by a typo.'],
    },
    todo: {
      zh: [
        '贷款请找银行或持牌的正规机构，放款前收费的一律是诈骗。',
        '已泄露身份证和银行卡信息的，及时联系银行并报警。',
      ],
      en: ['Borrow only from banks and licensed lenders.', 'If you shared your ID or card, tell your bank and call 110.'],
    },
  },
  {
    id: 'fake_customer_service',
    name: { zh: '冒充电商物流客服', en: 'Fake shop or courier service' },
    summary: {
      zh: '“您的快递丢了要理赔”“您开通了会员要取消”，假客服一步步引你转账或开共享屏幕。',
      en: 'A "customer service" call about a lost parcel or an unwanted membership that ends with you sending money.',
    },
    script: {
      zh: [
        '对方准确说出你的姓名、订单或快递信息，自称电商或快递客服。',
        '称商品有问题要退款理赔，或你误开了会员、百万保障，不取消会每月扣费、影响征信。',
        '引你下载会议软件、开启屏幕共享，或进入仿冒的“理赔页面”填写银行卡和验证码。',
        '以“验证流水”“退款失败”为由要你借网贷再转到指定账户。',
      ],
      en: [
        'The caller knows your name and order and says they are the shop or courier.',
        'They offer a refund, or say you must cancel a "membership" that will hurt your credit.',
        'You are asked to share your screen or enter card details and codes on a page.',
        'Then to "verify" by transferring money, even borrowed money.',
      ],
    },
    signs: {
      zh: [
        '真正的理赔和退款在购物平台内原路退回，不需要你转账。',
        '要求开启屏幕共享、下载会议软件。',
        '索要银行卡密码、短信验证码。',
      ],
      en: ['Real refunds go back through the shop automatically.', 'Screen sharing or meeting apps.', 'Requests for codes or PINs.'],
    },
    todo: {
      zh: [
        '挂断电话，自己打开购物或快递 App，通过官方客服核实。',
        '验证码和密码对任何人都不说，不开屏幕共享。',
      ],
      en: ['Hang up and check in the official app yourself.', 'Never share codes or your screen.'],
    },
  },
  {
    id: 'impersonate_authority',
    name: { zh: '冒充公检法', en: 'Fake police, prosecutors or courts' },
    summary: {
      zh: '“你涉嫌洗钱，马上配合调查”，假警察用恐吓让你把钱转到所谓的“安全账户”。',
      en: 'A "police officer" says you are under investigation and must move your money to a "safe account".',
    },
    script: {
      zh: [
        '自称公安、检察院、法院或通信管理局工作人员，说你的身份被用于洗钱、贩毒或开了涉案银行卡。',
        '展示假的警官证、通缉令，甚至用视频通话“穿警服”让你相信。',
        '要求“保密调查”，不许告诉家人，让你到宾馆等封闭地方单独配合。',
        '要你把存款转入“安全账户”做“资金清查”，或下载软件、提供验证码。',
      ],
      en: [
        'The caller claims to be police, a prosecutor or a court: your ID was used in a crime.',
        'They show fake warrants or badges, sometimes on video.',
        'You must keep it secret and stay alone somewhere.',
        'Your money must go to a "safe account" for checking.',
      ],
    },
    signs: {
      zh: [
        '公检法机关不会通过电话、网络办案，也不会发送通缉令、逮捕令。',
        '世上没有“安全账户”，要你转账的一定是骗子。',
        '要求你保密、不让家人知道。',
      ],
      en: ['Police never handle cases by phone or send warrants online.', 'There is no "safe account".', 'Demands for secrecy.'],
    },
    todo: {
      zh: [
        '立即挂断，不要被吓住；有疑问到就近派出所当面核实，或拨打 110。',
        '把情况告诉家人，绝不转账。',
      ],
      en: ['Hang up; check in person at a police station or call 110.', 'Tell your family; never transfer money.'],
    },
  },
  {
    id: 'fake_credit_repair',
    name: { zh: '虚假征信', en: 'Fake credit record repair' },
    summary: {
      zh: '“你的学生贷没注销会影响征信”，以帮你“消除不良记录”为名骗你转账。',
      en: 'A warning that an old loan will ruin your credit record, with a "fix" that costs you money.',
    },
    script: {
      zh: [
        '自称银行、金融平台或监管部门客服，说你以前开过校园贷、网贷账户没有注销，会影响征信。',
        '说注销前要把额度“清零”，要你在多个平台贷款后转到指定账户。',
        '或称可以花钱“修复”“洗白”不良征信记录。',
      ],
      en: [
        'A caller says an old student or online loan account will hurt your credit record.',
        'To close it you must borrow from several apps and transfer the money.',
        'Or they offer to "clean" a bad record for a fee.',
      ],
    },
    signs: {
      zh: [
        '征信记录只能由中国人民银行征信中心依法记录，任何人都不能花钱修改。',
        '“注销账户”却要你贷款、转账。',
      ],
      en: ['Nobody can pay to change a credit record.', '"Closing" an account never needs a transfer.'],
    },
    todo: {
      zh: [
        '查询征信请通过中国人民银行征信中心官方渠道。',
        '接到此类电话直接挂断，不借贷、不转账。',
      ],
      en: ['Check your record only through the official credit reference centre.', 'Hang up; never borrow or transfer.'],
    },
  },
  {
    id: 'game_trading',
    name: { zh: '网络游戏虚假交易', en: 'Fake game item trading' },
    summary: {
      zh: '低价卖装备、高价收账号、免费送皮肤，把玩家——尤其是孩子——引到假交易平台。',
      en: 'Cheap items or high offers for game accounts that lead players, often children, to fake trading sites.',
    },
    script: {
      zh: [
        '在游戏里或社交平台发布“低价出售装备”“高价收购账号”“免费领皮肤”的消息。',
        '要你离开正规交易渠道，到对方提供的网站或二维码上交易。',
        '付款后称“账户冻结”“需要交保证金解冻”，或以“未成年人操作违规”吓唬孩子，让其用家长手机转账。',
      ],
      en: [
        'Offers of cheap items, high prices for accounts or free skins.',
        'You are moved off the official market to their own site or QR code.',
        'Then come "frozen account" fees, or threats that make children pay with a parent\'s phone.',
      ],
    },
    signs: {
      zh: ['脱离游戏官方交易平台。', '交易后要交保证金、解冻费。', '让未成年人扫码、拿家长手机付款。'],
      en: ['Trading outside the official market.', 'Fees after the trade.', 'Children asked to pay with a parent\'s phone.'],
    },
    todo: {
      zh: [
        '只在游戏官方或正规平台交易，不点陌生链接、不扫陌生二维码。',
        '家长要告诉孩子：要钱、要验证码、要扫码的“客服”都是骗子，遇到先告诉爸妈。',
      ],
      en: ['Trade only on official markets.', 'Tell children to come to you before paying anyone.'],
    },
  },
  {
    id: 'romance',
    name: { zh: '网络婚恋交友', en: 'Online romance scams' },
    summary: {
      zh: '网上认识的“完美恋人”从不见面，感情升温后开始借钱或拉你投资、赌博（常称“杀猪盘”）。',
      en: 'A perfect partner met online who never meets you, then needs money or an "investment" (pig butchering).',
    },
    script: {
      zh: [
        '在婚恋网站、交友软件或游戏里结识条件优越的“异性”，照片精致、嘘寒问暖。',
        '以各种理由拒绝视频和见面，但很快确定恋爱关系、谈婚论嫁。',
        '随后说家人生病、生意周转需要借钱，或带你到“内部平台”投资、博彩，开始时还能赚钱。',
        '你投入越来越多，最后平台关闭、对方消失。',
      ],
      en: [
        'An attractive, caring stranger contacts you on a dating or game app.',
        'They avoid video calls and meetings but quickly talk of marriage.',
        'Then they need a loan or invite you to a "special" investment or betting site.',
        'Once you have paid a lot, they vanish.',
      ],
    },
    signs: {
      zh: ['从未真正见面或视频很短、画面模糊。', '谈钱：借钱、投资、博彩。', '让你下载特定App或使用对方给的网址。'],
      en: ['Never met in person.', 'Any talk of money, investing or betting.', 'Their own app or link.'],
    },
    todo: {
      zh: ['网上恋爱不谈钱，谈钱先核实身份。', '发现被骗立即停止转账，保存聊天记录，拨打 110。'],
      en: ['Never send money to someone you have only met online.', 'If you have paid, stop and call 110.'],
    },
  },
  {
    id: 'impersonate_acquaintance',
    name: { zh: '冒充领导熟人', en: 'Fake boss or acquaintance' },
    summary: {
      zh: '换个头像、改个昵称就装成你的领导、老师或亲戚，开口就让你帮忙转钱。',
      en: 'Someone posing as your boss, teacher or relative who urgently needs you to send money.',
    },
    script: {
      zh: [
        '用与你领导、亲友相同的头像和名字加你好友，或在工作群、家长群里冒充。',
        '说“在开会不方便接电话”“有急事”，让你先帮忙给某个账户转一笔钱。',
        '催促很急，不给你打电话核实的时间。',
      ],
      en: [
        'A new contact uses your boss\'s or relative\'s photo and name.',
        'They are "in a meeting" and need you to pay someone now.',
        'They push hard so you have no time to check.',
      ],
    },
    signs: {
      zh: ['新加的好友、陌生号码自称熟人。', '不接电话、不视频，只打字催你转账。', '收款账户是陌生人的。'],
      en: ['A new contact claiming to know you.', 'Text only, no calls.', 'Payment to a stranger\'s account.'],
    },
    todo: {
      zh: ['涉及转账，一定用原来存的电话号码打过去，或当面确认。', '单位财务付款严格走审批流程。'],
      en: ['Call back on the number you already had, or ask in person.', 'Follow your office\'s payment approval rules.'],
    },
  },
  {
    id: 'impersonate_military_purchase',
    name: { zh: '冒充军警购物', en: 'Fake military or police orders' },
    summary: {
      zh: '自称部队或警方采购，下大单给商家，再以“需先垫付”“交押金”等理由骗商家转账。',
      en: 'A "military" or "police" buyer places a large order, then asks the shop to advance money.',
    },
    script: {
      zh: [
        '冒充部队、武警或公安采购人员联系餐馆、商店，下大额订单，显得可靠又急需。',
        '发来假的军官证、采购单，要商家同时帮忙代购另一样“指定商品”。',
        '给出“指定供应商”的联系方式，商家垫付货款后，供应商和“采购员”一起消失。',
      ],
      en: [
        'A "military" or "police" buyer orders a lot from a restaurant or shop.',
        'They also ask the shop to buy a special item from a "designated supplier".',
        'The shop pays the supplier, and both the buyer and supplier disappear.',
      ],
    },
    signs: {
      zh: ['陌生的大额订单，要求商家先垫付或代购。', '只能从对方指定的供应商购买。', '出示证件照片作为“证明”。'],
      en: ['Large orders that need you to pay first.', 'A supplier you must use.', 'ID photos as "proof".'],
    },
    todo: {
      zh: ['不垫付、不代购，坚持货到付款或当面结算。', '可向当地部队、公安机关核实。'],
      en: ['Never advance money; ask for payment on delivery.', 'Verify with the unit or the police.'],
    },
  },
  {
    id: 'phishing',
    name: { zh: '钓鱼网站/短信', en: 'Phishing sites and texts' },
    summary: {
      zh: '“积分清零”“ETC 失效”“账户异常”，一条短信一个链接，骗走你的银行卡和验证码。',
      en: 'A text about expiring points or a blocked account, with a link to a fake page that steals your card and codes.',
    },
    script: {
      zh: [
        '收到冒充银行、运营商、ETC、社保或快递的短信，称积分要过期、账户异常、需要认证。',
        '短信里的链接打开是仿冒的官方页面，网址和真的很像但不一样。',
        '页面要你填写身份证号、银行卡号、密码和短信验证码，信息提交后钱就被转走。',
      ],
      en: [
        'A text "from" your bank, carrier, toll service or courier says something needs attention.',
        'The link opens a copy of the real site under a look-alike address.',
        'Your ID, card number, PIN and code are taken and your money moved.',
      ],
    },
    signs: {
      zh: ['短信里带陌生链接，网址不是官方域名。', '页面要求同时填写卡号、密码和验证码。', '制造紧迫感：“今日到期”“立即处理”。'],
      en: ['Links to addresses that are not the official ones.', 'Card number, PIN and code on one page.', 'Urgency.'],
    },
    todo: {
      zh: ['不点短信里的链接，通过官方 App 或官方电话办理。', '可以在本站“风险查询”里查一查网址。', '填了信息的立即联系银行冻结或挂失。'],
      en: ['Do not open links in texts; use the official app.', 'Check a link in Check here.', 'If you entered details, call your bank now.'],
    },
  },
  {
    id: 'other_fraud',
    name: { zh: '其他诈骗', en: 'Other scams' },
    summary: {
      zh: '骗局不断翻新，但几乎都离不开：陌生人、要你转账、要你保密、催你快点。',
      en: 'Scams keep changing, but nearly all need a stranger, a payment, secrecy and haste.',
    },
    script: {
      zh: [
        '中奖、退税、补贴、医保、助学金、“帮你追回被骗的钱”等名目层出不穷。',
        '共同点是先取得信任或制造恐慌，再要求你转账、提供验证码或下载陌生软件。',
      ],
      en: [
        'Prizes, tax refunds, subsidies, "recovering lost money" and more.',
        'All build trust or fear, then ask for money, codes or an unknown app.',
      ],
    },
    signs: {
      zh: ['陌生人主动联系并谈到钱。', '要求保密、催促马上行动。', '要验证码、要屏幕共享、要下载软件。'],
      en: ['A stranger talks about money.', 'Secrecy and urgency.', 'Codes, screen sharing, apps.'],
    },
    todo: {
      zh: ['记住“三不一多”：未知链接不点击，陌生来电不轻信，个人信息不透露，转账汇款多核实。', '拿不准就拨打 96110 咨询；已被骗立即拨打 110。'],
      en: ['Do not click, do not believe, do not tell, and check before you pay.', 'Call 96110 for advice, 110 if you have been cheated.'],
    },
  },
];

/* The entry with this id, or undefined. */
export function knowledgeById(id) {
  return KNOWLEDGE.find((k) => k.id === id);
}

/* {zh, en} name of a fraud type id, or null for an unknown id. */
export function fraudTypeName(id) {
  const k = knowledgeById(id);
  return k ? k.name : null;
}
