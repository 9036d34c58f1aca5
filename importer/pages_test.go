package importer

// Saved pages in the shapes news sites commonly use, written for these tests
// (the story is invented). Each has navigation, ads or scripts that must not
// end up in the article.

const storyParagraphs = `
<p>Fishing crews in the northern bays returned to port on Thursday after the regional weather office lifted a four-day storm warning, ending the longest closure of the season.</p>
<p>Harbour masters said forty-two boats had waited at anchor behind the breakwater since Sunday, and that the first of them reached the fish market shortly after dawn with a catch that traders described as modest but welcome.</p>
<p>“We lost most of a week, and the prices will not make it back,” said one skipper, who has worked the same stretch of coast for nineteen years. “But nobody was hurt, and that is what counts.”</p>
<p>The weather office said a second, weaker front could reach the coast early next week, though it did not expect another closure. Port officials plan to review the warning system at a meeting with the crews later this month.</p>
`

// pageArticleTag keeps the story in an <article> element with a <time>.
const pageArticleTag = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Boats return as storm warning lifts | Coastline Courier</title>
<script>window.tracker = function () { document.write("tracking"); };</script></head>
<body>
<header><a href="/">Coastline Courier</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main>
<article>
<h1>Boats return as storm warning lifts</h1>
<p class="byline">By Ilse Marrow</p>
<time datetime="2025-02-13T07:45:00Z">13 February 2025</time>
` + storyParagraphs + `
<script>document.write("<p>injected by script</p>");</script>
<p><a href="javascript:alert(1)" onclick="steal()">A link that must lose its script</a> and <a href="https://coastline.example/weather">the weather page</a>.</p>
</article>
</main>
<footer><p>© Coastline Courier. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>`

// pageNestedDivs buries the story in nested <div>s between navigation, ads
// and a "most read" box, as older content systems do.
const pageNestedDivs = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Ferry timetable cut for winter - Islands Daily</title></head>
<body>
<div id="page">
 <div class="top-nav menu"><a href="/">Home</a> | <a href="/local">Local</a> | <a href="/business">Business</a> | <a href="/letters">Letters</a></div>
 <div class="ad-banner advertisement"><p>ADVERTISEMENT: Buy cheap flights now! Great deals on sunglasses!</p></div>
 <div class="layout">
  <div class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Council row over parking fees</a></li><li><a href="/b">New bakery opens</a></li><li><a href="/c">School wins chess cup</a></li></ul></div>
  <div class="content-wrapper">
   <div class="story">
    <div class="story-header"><h1>Ferry timetable cut for winter</h1><div class="author-line">By <span class="author">Tove Brandt</span></div><div class="dateline"><time datetime="2025-11-02">2 November 2025</time></div></div>
    <div class="story-body">
     <div><p>The island ferry will run four crossings a day instead of seven from the first week of December, the operator confirmed on Sunday, citing falling passenger numbers and the cost of fuel.</p></div>
     <div><p>Residents who commute to the mainland said the change would leave a gap of almost four hours in the middle of the day, when most medical appointments are booked.</p></div>
     <div class="ad-slot sponsored"><p>Sponsored: the best mattress of the year, now half price.</p></div>
     <div><p>The operator said the summer timetable would return in April, and that extra sailings could be added at short notice for funerals, exams and hospital transfers.</p></div>
     <div><p>A public meeting on the timetable is planned for the community hall next Thursday evening, where the operator's managers have agreed to answer questions.</p></div>
    </div>
   </div>
  </div>
 </div>
 <div class="footer">Islands Daily · <a href="/contact">Contact</a> · <a href="/jobs">Jobs</a></div>
</div>
<script src="/ads.js"></script>
</body></html>`

// pageJSONLD has schema.org NewsArticle metadata that the visible page lacks.
const pageJSONLD = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Home page of the Valley Herald</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Valley Herald site"},
  {"@type": "NewsArticle",
   "headline": "Orchard growers count frost damage",
   "datePublished": "2025-04-09T18:20:00+02:00",
   "author": [{"@type": "Person", "name": "Pia Lund"}, {"@type": "Person", "name": "Omar Seddik"}],
   "publisher": {"@type": "NewsMediaOrganization", "name": "The Valley Herald"}}
]}
</script></head>
<body>
<div class="masthead"><a href="/">Valley Herald</a></div>
<div id="main-content">
<h2>Orchard growers count frost damage</h2>
<p>Apple and pear growers across the valley spent Wednesday walking their rows after two nights of hard frost arrived just as the trees came into blossom.</p>
<p>Early estimates from the growers' association suggest that a third of the blossom on lower slopes was lost, while orchards higher up the hillsides escaped with little harm.</p>
<p>Several growers ran sprinklers through the night to coat the flowers in a protective layer of ice, a method that worked where water pressure held out until morning.</p>
<p>The association will publish a fuller count next week and has asked the regional government to open its emergency fund for growers who lost more than half of their crop.</p>
</div>
</body></html>`

// pageOpenGraph has only Open Graph metadata (no JSON-LD, no <time>).
const pageOpenGraph = `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Library reopens</title>
<meta property="og:title" content="City library reopens after two-year renovation">
<meta property="og:site_name" content="Metro Evening News">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-09-20T10:00:00Z">
<meta property="article:author" content="Rhea Castellan">
</head>
<body>
<div class="site-menu"><a href="/">Front page</a> <a href="/culture">Culture</a></div>
<div id="content">
<p>The city's central library opened its doors again on Saturday morning, two years after it closed for a renovation that ran eight months over schedule.</p>
<p>Visitors queued along the square before opening time to see the new reading rooms, which now take up the whole of the top floor and look out over the river.</p>
<p>The library's director said the building would stay open until ten in the evening on weekdays, the longest hours it has ever kept, and that the children's section had doubled in size.</p>
<p>A small exhibition in the entrance hall tells the story of the building from its opening more than a century ago to the discovery of a sealed basement room during the works.</p>
</div>
</body></html>`

// pageNoArticle is a front page: headlines and links, but no article text.
const pageNoArticle = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Front page</title></head>
<body><nav><a href="/a">One</a> <a href="/b">Two</a></nav>
<h1>Today</h1><ul><li><a href="/x">Headline one</a></li><li><a href="/y">Headline two</a></li></ul>
</body></html>`

const feedRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Coastline Courier</title>
<link>https://coastline.example/</link>
<description>News from the coast</description>
<item>
  <title>Boats return as storm warning lifts</title>
  <link>https://coastline.example/news/boats-return?utm_source=rss&amp;utm_medium=feed</link>
  <pubDate>Thu, 13 Feb 2025 07:45:00 GMT</pubDate>
  <dc:creator>Ilse Marrow</dc:creator>
  <description><![CDATA[<p>Fishing crews returned to port after the storm warning was lifted.</p><script>alert(1)</script>]]></description>
</item>
<item>
  <title>Harbour dredging to start in spring</title>
  <link>/news/dredging</link>
  <pubDate>Fri, 14 Feb 2025 09:00:00 GMT</pubDate>
  <description>The harbour will be dredged from March so that larger boats can use the inner quay.</description>
</item>
</channel>
</rss>`

const feedAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Herald</title>
  <link href="https://valley.example/"/>
  <id>tag:valley.example,2025:feed</id>
  <updated>2025-04-10T08:00:00Z</updated>
  <entry>
    <title>Orchard growers count frost damage</title>
    <link href="https://valley.example/2025/04/frost#comments"/>
    <id>tag:valley.example,2025:frost</id>
    <published>2025-04-09T16:20:00Z</published>
    <updated>2025-04-09T17:00:00Z</updated>
    <author><name>Pia Lund</name></author>
    <author><name>Omar Seddik</name></author>
    <content type="html">&lt;p&gt;Apple and pear growers counted the damage after two nights of frost.&lt;/p&gt;</content>
  </entry>
</feed>`
